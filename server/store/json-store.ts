/**
 * The embedded store: one JSON file through lowdb.
 *
 * - Durability: lowdb's writer (steno) writes a temporary file and renames it over the data
 *   file, so a crash leaves either the old or the new file, never half of one; writes that
 *   arrive while one is in flight are coalesced into the next one, and every caller resolves
 *   only once a write containing its change has landed.
 * - Atomicity: changes are applied to the in-memory data synchronously, so no two changes to
 *   the same record interleave (one process per file: DESIGN.md "Store").
 * - A file that does not parse or has the wrong shape stops the start with a message naming the
 *   file; it is never silently reset.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { z } from 'zod';
import type { Change, LoginState, SessionRecord, Store, UserRecord } from './types.ts';
import { StoreError } from './types.ts';

const FORMAT_VERSION = 1;

interface JsonData {
  version: typeof FORMAT_VERSION;
  users: Record<string, UserRecord>;
  userIdsByEmailKey: Record<string, string>;
  logins: Record<string, LoginState>;
  /** link-token hash → email key, so a link finds its login without a scan. */
  linkTokens: Record<string, string>;
  sessions: Record<string, SessionRecord>;
}

// The shape is checked at the top level only: enough to refuse a file that is not ours
// (or a truncated one that happens to parse) without re-validating every record on start.
const FileShape = z.object({
  version: z.literal(FORMAT_VERSION),
  users: z.record(z.string(), z.object({ id: z.string(), email: z.string(), emailKey: z.string() }).loose()),
  userIdsByEmailKey: z.record(z.string(), z.string()),
  logins: z.record(z.string(), z.object({ emailKey: z.string(), sequences: z.array(z.unknown()) }).loose()),
  linkTokens: z.record(z.string(), z.string()),
  sessions: z.record(z.string(), z.object({ tokenHash: z.string(), userId: z.string() }).loose()),
});

/** A user-shaped record cloned on a lookup miss, so a miss costs what a hit does. */
const MISSING_USER: UserRecord = {
  id: '',
  email: '',
  emailKey: '',
  emailVerified: false,
  createdAt: '',
  lastLoginAt: null,
  data: {},
};

function emptyData(): JsonData {
  return { version: FORMAT_VERSION, users: {}, userIdsByEmailKey: {}, logins: {}, linkTokens: {}, sessions: {} };
}

export async function openJsonStore(file: string): Promise<Store> {
  // The file holds addresses and userData: a directory we create is readable by us only.
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const data = await readDataFile(file);
  // Compact JSON: indentation costs space on every write and grows with nesting depth.
  const adapter = new DataFile<JsonData>(file, { parse: JSON.parse, stringify: (value) => JSON.stringify(value) });
  const db = new Low<JsonData>(adapter, data ?? emptyData());
  if (!data) await db.write();
  return new JsonStore(db);
}

async function readDataFile(file: string): Promise<JsonData | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StoreError(`Cannot read the data file ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new StoreError(`The data file ${file} is not valid JSON (${(error as Error).message}). It was left untouched: restore it from a backup or move it away to start empty.`);
  }
  const shape = FileShape.safeParse(parsed);
  if (!shape.success) {
    const issue = shape.error.issues[0]!;
    throw new StoreError(`The data file ${file} is not a passwordless-login store (at "${issue.path.join('.')}": ${issue.message}). It was left untouched.`);
  }
  return parsed as JsonData;
}

class JsonStore implements Store {
  readonly #db: Low<JsonData>;

  constructor(db: Low<JsonData>) {
    this.#db = db;
  }

  get #data(): JsonData {
    return this.#db.data;
  }

  async updateLogin<T>(emailKey: string, change: Change<LoginState, T>): Promise<T> {
    const data = this.#data;
    const before = data.logins[emailKey] ?? null;
    const { next, result } = change(before ? structuredClone(before) : null);
    this.#putLogin(emailKey, before, next);
    await this.#db.write();
    return result;
  }

  /** Replaces one login state and keeps the link-token index in step with its sequences. */
  #putLogin(emailKey: string, before: LoginState | null, next: LoginState | null): void {
    const data = this.#data;
    for (const sequence of before?.sequences ?? []) delete data.linkTokens[sequence.tokenHash];
    if (next) {
      data.logins[emailKey] = next;
      for (const sequence of next.sequences) data.linkTokens[sequence.tokenHash] = emailKey;
    } else {
      delete data.logins[emailKey];
    }
  }

  async findLoginKeyByTokenHash(tokenHash: string): Promise<string | null> {
    return Object.hasOwn(this.#data.linkTokens, tokenHash) ? this.#data.linkTokens[tokenHash]! : null;
  }

  async findUserByEmailKey(emailKey: string): Promise<UserRecord | null> {
    const id = Object.hasOwn(this.#data.userIdsByEmailKey, emailKey) ? this.#data.userIdsByEmailKey[emailKey]! : null;
    // The same copy work for a miss as for a hit: a request for an unknown address must not
    // answer measurably sooner (bench/enumeration-timing.ts found 2 µs vs 0.2 µs before).
    const copy = structuredClone(id ? this.#data.users[id]! : MISSING_USER);
    return id ? copy : null;
  }

  async findUserById(id: string): Promise<UserRecord | null> {
    return Object.hasOwn(this.#data.users, id) ? structuredClone(this.#data.users[id]!) : null;
  }

  async updateUser<T>(emailKey: string, change: Change<UserRecord, T>): Promise<T> {
    const data = this.#data;
    const id = Object.hasOwn(data.userIdsByEmailKey, emailKey) ? data.userIdsByEmailKey[emailKey]! : null;
    const before = id ? (data.users[id] ?? null) : null;
    const { next, result } = change(before ? structuredClone(before) : null);
    if (before) {
      delete data.users[before.id];
      delete data.userIdsByEmailKey[emailKey];
    }
    if (next) {
      data.users[next.id] = next;
      data.userIdsByEmailKey[emailKey] = next.id;
    }
    await this.#db.write();
    return result;
  }

  async createSession(session: SessionRecord): Promise<void> {
    this.#data.sessions[session.tokenHash] = { ...session };
    await this.#db.write();
  }

  async findSession(tokenHash: string): Promise<SessionRecord | null> {
    return Object.hasOwn(this.#data.sessions, tokenHash) ? { ...this.#data.sessions[tokenHash]! } : null;
  }

  async deleteSession(tokenHash: string): Promise<boolean> {
    if (!Object.hasOwn(this.#data.sessions, tokenHash)) return false;
    delete this.#data.sessions[tokenHash];
    await this.#db.write();
    return true;
  }

  async sweep(now: number, tidy: (state: LoginState) => LoginState | null): Promise<{ logins: number; sessions: number }> {
    const data = this.#data;
    let logins = 0;
    let sessions = 0;
    for (const [emailKey, state] of Object.entries(data.logins)) {
      const kept = tidy(structuredClone(state));
      this.#putLogin(emailKey, state, kept);
      if (!kept) logins += 1;
    }
    for (const [tokenHash, session] of Object.entries(data.sessions)) {
      if (session.expiresAt <= now) {
        delete data.sessions[tokenHash];
        sessions += 1;
      }
    }
    await this.#db.write();
    return { logins, sessions };
  }

  async close(): Promise<void> {
    // Every write is awaited by its caller; a last write makes sure nothing queued is lost.
    await this.#db.write();
  }
}
