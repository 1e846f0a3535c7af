/**
 * What the JSON store holds in memory: each record as its JSON text in a Map, keyed as the journal
 * keys it. Text, not objects: at 100,000 users the parsed records with their indexes took 62 MB
 * of heap (an object, its property names and a separate string per field, two copies of each
 * address), the text takes about a third of that, a read parses a fresh copy (the copy the
 * store must hand out anyway), and a snapshot is the texts joined, with nothing to serialize.
 * Maps rather than plain objects: a key such as `__proto__` is a key like any other.
 *
 * `userKeysById` and `linkTokens` are derived from the records, kept in step by every change and
 * replayed line, and never written: the file holds each fact once.
 */
import type { JournalEntry } from './journal.ts';
import type { LoginState, UserRecord } from '../types.ts';

export interface StoreData {
  /** The generation of the journal that continues the snapshot. */
  journal: number;
  /** email key → UserRecord JSON. */
  users: Map<string, string>;
  /** user id → email key (derived). */
  userKeysById: Map<string, string>;
  /** email key → LoginState JSON. */
  logins: Map<string, string>;
  /** link-token hash → email key (derived from the login states' sequences). */
  linkTokens: Map<string, string>;
  /** session-token hash → SessionRecord JSON. */
  sessions: Map<string, string>;
}

export function emptyStoreData(journal = 0): StoreData {
  return { journal, users: new Map(), userKeysById: new Map(), logins: new Map(), linkTokens: new Map(), sessions: new Map() };
}

/**
 * Replaces one login state and keeps the link-token index in step. `before` is the state being
 * replaced, if the caller already parsed it (its link tokens are removed from the index).
 */
export function putLogin(data: StoreData, emailKey: string, next: LoginState | null, text: string | null, before?: LoginState | null): void {
  const previous = before !== undefined ? before : parseOrNull<LoginState>(data.logins.get(emailKey));
  for (const sequence of previous?.sequences ?? []) data.linkTokens.delete(sequence.tokenHash);
  if (next && text !== null) {
    data.logins.set(emailKey, text);
    for (const sequence of next.sequences) data.linkTokens.set(sequence.tokenHash, emailKey);
  } else {
    data.logins.delete(emailKey);
  }
}

export function putUser(data: StoreData, emailKey: string, next: UserRecord | null, text: string | null): void {
  const previous = parseOrNull<UserRecord>(data.users.get(emailKey));
  if (previous) data.userKeysById.delete(previous.id);
  if (next && text !== null) {
    data.users.set(emailKey, text);
    data.userKeysById.set(next.id, emailKey);
  } else {
    data.users.delete(emailKey);
  }
}

export function putSession(data: StoreData, tokenHash: string, text: string | null): void {
  if (text !== null) data.sessions.set(tokenHash, text);
  else data.sessions.delete(tokenHash);
}

/** Applies one journal line (or snapshot record): whole-record puts and deletes, so applying a line twice changes nothing. */
export function applyEntry(data: StoreData, entry: JournalEntry): void {
  if (entry.op === 'revoke') {
    for (const tokenHash of entry.value) data.sessions.delete(tokenHash);
    return;
  }
  const value = entry.value ?? null;
  const text = value === null ? null : JSON.stringify(value);
  if (entry.op === 'login') putLogin(data, entry.key, value as LoginState | null, text);
  else if (entry.op === 'user') putUser(data, entry.key, value as UserRecord | null, text);
  else putSession(data, entry.key, text);
}

function parseOrNull<T>(text: string | undefined): T | null {
  return text === undefined ? null : (JSON.parse(text) as T);
}
