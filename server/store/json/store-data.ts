/**
 * What the JSON store holds in memory: each record as one compact string (record-text.ts) in a
 * Map, keyed as the journal keys it. One string, not an object: at 100,000 users the parsed
 * records with their indexes took 50 MB of heap (an object, and a string per field: three copies
 * of each address), the compact strings with the same indexes about 25 MB; and a read parses a
 * fresh copy, the copy the store must hand out anyway.
 * Maps rather than plain objects: a key such as `__proto__` is a key like any other.
 *
 * Passkeys are compact strings like the others; a spent challenge (a claim) is only its expiry, a
 * number, under its key.
 *
 * `userKeysById`, `linkTokens` and `passkeyIdsByUser` are derived from the records, kept in step by every change and
 * replayed line, and never written: the file holds each fact once.
 */
import type { JournalEntry } from './journal.ts';
import { LOGIN, PASSKEY, pack, SESSION, unpack, USER } from './record-text.ts';
import type { LoginState, PasskeyRecord, SessionRecord, UserRecord } from '../types.ts';

export interface StoreData {
  /** The generation of the journal that continues the snapshot. */
  journal: number;
  /** email key → UserRecord, compact (record-text.ts). */
  users: Map<string, string>;
  /** user id → email key (derived). */
  userKeysById: Map<string, string>;
  /** email key → LoginState, compact. */
  logins: Map<string, string>;
  /** link-token hash → email key (derived from the login states' sequences). */
  linkTokens: Map<string, string>;
  /** session-token hash → SessionRecord, compact. */
  sessions: Map<string, string>;
  /** credential ID → PasskeyRecord, compact. */
  passkeys: Map<string, string>;
  /**
   * user id → the ID of the user's passkey, or their IDs in the order added when more than one
   * (derived). Listing a user's passkeys is on every registration and on the signed-in list: a
   * scan of 100,000 records would hold the event loop about 10 ms each. The single ID is the very
   * string keying `passkeys`, so the usual user, with one passkey, costs the entry only: 100,000
   * such users take 7 MB of index where one-element arrays took 19 MB.
   */
  passkeyIdsByUser: Map<string, string | string[]>;
  /** claimed key → until when it counts (ms since the epoch). */
  claims: Map<string, number>;
}

export function emptyStoreData(journal = 0): StoreData {
  return {
    journal,
    users: new Map(),
    userKeysById: new Map(),
    logins: new Map(),
    linkTokens: new Map(),
    sessions: new Map(),
    passkeys: new Map(),
    passkeyIdsByUser: new Map(),
    claims: new Map(),
  };
}

/**
 * Replaces one login state and keeps the link-token index in step. `before` is the state being
 * replaced, if the caller already read it (its link tokens leave the index).
 */
export function putLogin(data: StoreData, emailKey: string, next: LoginState | null, before?: LoginState | null): void {
  const previous = before !== undefined ? before : readLogin(data, emailKey);
  for (const sequence of previous?.sequences ?? []) data.linkTokens.delete(sequence.tokenHash);
  if (next) {
    data.logins.set(emailKey, pack(LOGIN, emailKey, next));
    for (const sequence of next.sequences) data.linkTokens.set(sequence.tokenHash, emailKey);
  } else {
    data.logins.delete(emailKey);
  }
}

export function putUser(data: StoreData, emailKey: string, next: UserRecord | null): void {
  const previous = readUser(data, emailKey);
  if (previous) data.userKeysById.delete(previous.id);
  if (next) {
    data.users.set(emailKey, pack(USER, emailKey, next));
    data.userKeysById.set(next.id, emailKey);
  } else {
    data.users.delete(emailKey);
  }
}

export function putSession(data: StoreData, tokenHash: string, next: SessionRecord | null): void {
  if (next) data.sessions.set(tokenHash, pack(SESSION, tokenHash, next));
  else data.sessions.delete(tokenHash);
}

/** Replaces one passkey (stored under `id`) and keeps the per-user index in step. */
export function putPasskey(data: StoreData, id: string, next: PasskeyRecord | null): void {
  const previous = readPasskey(data, id);
  if (previous && previous.userId !== next?.userId) {
    const left = passkeyIdsOf(data, previous.userId).filter((other) => other !== id);
    if (left.length === 0) data.passkeyIdsByUser.delete(previous.userId);
    else data.passkeyIdsByUser.set(previous.userId, left.length === 1 ? left[0]! : left);
  }
  if (next) {
    // A new passkey's `id` keys both Maps: one string, not two copies.
    data.passkeys.set(id, pack(PASSKEY, id, next));
    if (previous?.userId !== next.userId) {
      const ids = passkeyIdsOf(data, next.userId);
      data.passkeyIdsByUser.set(next.userId, ids.length === 0 ? id : [...ids, id]);
    }
  } else {
    data.passkeys.delete(id);
  }
}

/** The IDs of a user's passkeys, in the order added. */
export function passkeyIdsOf(data: StoreData, userId: string): string[] {
  const ids = data.passkeyIdsByUser.get(userId);
  return ids === undefined ? [] : typeof ids === 'string' ? [ids] : ids;
}

export function putClaim(data: StoreData, key: string, expiresAt: number | null): void {
  if (expiresAt === null) data.claims.delete(key);
  else data.claims.set(key, expiresAt);
}

/** Fresh copies of the records (the caller may change them), or null. */
export function readLogin(data: StoreData, emailKey: string): LoginState | null {
  const text = data.logins.get(emailKey);
  return text === undefined ? null : unpack<LoginState>(LOGIN, emailKey, text);
}

export function readUser(data: StoreData, emailKey: string): UserRecord | null {
  const text = data.users.get(emailKey);
  return text === undefined ? null : unpack<UserRecord>(USER, emailKey, text);
}

export function readSession(data: StoreData, tokenHash: string): SessionRecord | null {
  const text = data.sessions.get(tokenHash);
  return text === undefined ? null : unpack<SessionRecord>(SESSION, tokenHash, text);
}

export function readPasskey(data: StoreData, id: string): PasskeyRecord | null {
  const text = data.passkeys.get(id);
  return text === undefined ? null : unpack<PasskeyRecord>(PASSKEY, id, text);
}

/**
 * Erases a user, their login state (with its link tokens), and the sessions and passkeys listed.
 * The address is found from the id: a user already gone (an erase applied twice, or a snapshot
 * written after it) leaves the login state alone, which is then the one of a later sign-up.
 */
export function eraseUser(data: StoreData, userId: string, records: { sessions: readonly string[]; passkeys: readonly string[] }): void {
  const emailKey = data.userKeysById.get(userId);
  if (emailKey !== undefined) {
    putUser(data, emailKey, null);
    putLogin(data, emailKey, null);
  }
  for (const tokenHash of records.sessions) data.sessions.delete(tokenHash);
  for (const id of records.passkeys) if (readPasskey(data, id)?.userId === userId) putPasskey(data, id, null);
}

/**
 * Moves the user at `fromKey` to the key of `next` (a change of address). Applied as a replayed
 * line too: a user no longer at `fromKey` (the line applied twice) is simply written at its new key.
 */
export function moveUser(data: StoreData, fromKey: string, next: UserRecord): void {
  if (readUser(data, fromKey)?.id === next.id) putUser(data, fromKey, null);
  putUser(data, next.emailKey, next);
}

/** Applies one journal line (or snapshot record): whole-record puts and deletes, so applying a line twice changes nothing. */
export function applyEntry(data: StoreData, entry: JournalEntry): void {
  if (entry.op === 'revoke') {
    for (const tokenHash of entry.value) data.sessions.delete(tokenHash);
    return;
  }
  if (entry.op === 'erase') {
    eraseUser(data, entry.key, entry.value);
    return;
  }
  if (entry.op === 'move') {
    moveUser(data, entry.key, entry.value as UserRecord);
    return;
  }
  const value = entry.value ?? null;
  if (entry.op === 'login') putLogin(data, entry.key, value as LoginState | null);
  else if (entry.op === 'user') putUser(data, entry.key, value as UserRecord | null);
  else if (entry.op === 'passkey') putPasskey(data, entry.key, value as PasskeyRecord | null);
  else if (entry.op === 'claim') putClaim(data, entry.key, value as number | null);
  else putSession(data, entry.key, value as SessionRecord | null);
}
