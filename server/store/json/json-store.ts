/**
 * The embedded store: a JSON snapshot (through lowdb) plus an append-only journal.
 *
 * - Durability: every change is applied in memory, then appended to the journal and
 *   acknowledged only once the journal is fsynced; concurrent changes share one write and one
 *   fsync (journal.ts). What a request was told survives `kill -9` at any moment.
 * - Cost: a change costs one line, whatever the number of users, instead of rewriting the file.
 *   When the journal is twice the snapshot's size, a new snapshot is written durably (temp file, fsync,
 *   rename) and names the next journal; the old one is then deleted. A crash at any point
 *   replays exactly the journal its snapshot names.
 * - Atomicity: changes are applied synchronously in one process, so no two changes to one record
 *   interleave; the lock (lock.ts) keeps a second process off the same file.
 * - The index (link token → address) lives in memory only, derived from the records when the
 *   snapshot is loaded and kept in step by every change and replayed line, so the file format
 *   holds each fact once. Sessions by user are found by a scan: only `deleteUserSessions`, a rare
 *   administrative call, needs them, and every sign-in would otherwise pay to keep an index.
 * - A snapshot or journal that does not parse or has the wrong shape stops the start with a
 *   message naming the file, which is left untouched. The one repair made is cutting a journal's
 *   torn last line: a write the crash interrupted, which was never acknowledged.
 */
import { access, constants, mkdir, readdir, rm, stat, truncate } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Low } from 'lowdb';
import { z } from 'zod';
import { DurableJsonFile, ReplacedButNotSynced } from './durable-file.ts';
import { Journal, JournalCorruptError, readJournal, type JournalEntry } from './journal.ts';
import { acquireLock } from './lock.ts';
import type { Change, LoginState, SessionRecord, Store, UserRecord } from '../types.ts';
import { StoreError } from '../types.ts';

const FORMAT_VERSION = 2;

interface Snapshot {
  version: typeof FORMAT_VERSION;
  /** The generation of the journal that continues this snapshot. */
  journal: number;
  users: Record<string, UserRecord>;
  userIdsByEmailKey: Record<string, string>;
  logins: Record<string, LoginState>;
  sessions: Record<string, SessionRecord>;
}

// The shape is checked at the top level only: enough to refuse a file that is not ours without
// re-validating every record on start. Version 1 (before journals) is read as generation 0.
const SnapshotShape = z.object({
  version: z.union([z.literal(1), z.literal(FORMAT_VERSION)]),
  journal: z.number().int().nonnegative().optional(),
  users: z.record(z.string(), z.object({ id: z.string(), email: z.string(), emailKey: z.string() }).loose()),
  userIdsByEmailKey: z.record(z.string(), z.string()),
  logins: z.record(z.string(), z.object({ emailKey: z.string(), sequences: z.array(z.unknown()) }).loose()),
  sessions: z.record(z.string(), z.object({ tokenHash: z.string(), userId: z.string() }).loose()),
});

export interface JsonStoreOptions {
  /** Compact once the journal exceeds this many bytes and twice the snapshot's size. Default 8 MB. */
  compactAfterBytes?: number;
  /** Told when a torn journal tail is cut off. */
  onWarning?: (message: string) => void;
}

/** The JSON store, with a read of everything for the migration to Redis. */
/** Every record the store holds, as lists (the migration copies them). */
export interface JsonStoreContents {
  users: UserRecord[];
  logins: LoginState[];
  sessions: SessionRecord[];
}

export type JsonStoreHandle = Store & { snapshot(): Promise<JsonStoreContents> };

const journalPath = (file: string, generation: number) => `${file}.journal-${generation}.jsonl`;

export async function openJsonStore(file: string, options: JsonStoreOptions = {}): Promise<JsonStoreHandle> {
  // The file holds addresses and userData: a directory we create is readable by us only.
  await mkdir(dirname(file), { recursive: true, mode: 0o700 }).catch((error: Error) => {
    throw new StoreError(`Cannot create the directory for the data file ${file}: ${error.message}`);
  });
  const release = await acquireLock(file);
  try {
    const db = new Low<Snapshot>(new DurableJsonFile<Snapshot>(file), emptySnapshot());
    const existing = await readSnapshot(file, db);
    if (existing) await access(file, constants.W_OK).catch(() => Promise.reject(new StoreError(`The data file ${file} is read-only: the store must be able to write it.`)));
    const snapshot = existing ?? emptySnapshot();
    const path = journalPath(file, snapshot.journal);
    const { entries, tornBytes } = await readJournal(path).catch((error: Error) => {
      throw error instanceof JournalCorruptError
        ? new StoreError(`The journal ${path} is damaged (${error.message}). It was left untouched: restore the data directory from a backup.`)
        : new StoreError(`Cannot read the journal ${path}: ${error.message}`);
    });
    if (tornBytes > 0) {
      await truncate(path, (await stat(path)).size - tornBytes);
      options.onWarning?.(`cut ${tornBytes} bytes of an interrupted, never acknowledged write off the end of ${path}`);
    }
    db.data = snapshot;
    const store = new JsonStore(file, db, await openJournal(path), release, options);
    for (const entry of entries) store.replay(entry);
    await removeStaleJournals(file, snapshot.journal);
    if (!existing) await db.write();
    return store;
  } catch (error) {
    await release();
    throw error;
  }
}

function emptySnapshot(): Snapshot {
  return { version: FORMAT_VERSION, journal: 0, users: record(), userIdsByEmailKey: record(), logins: record(), sessions: record() };
}

/**
 * Records keyed by user-influenced strings have no prototype, so a key such as `__proto__` is a
 * key like any other instead of a way to reach Object.prototype (or to lose the record).
 */
function record<V>(entries: Record<string, V> = {}): Record<string, V> {
  return Object.assign(Object.create(null) as Record<string, V>, entries);
}

async function readSnapshot(file: string, db: Low<Snapshot>): Promise<Snapshot | null> {
  let parsed: unknown;
  try {
    parsed = await db.adapter.read();
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new StoreError(`The data file ${file} is not valid JSON (${error.message}). It was left untouched: restore it from a backup or move it away to start empty.`);
    }
    throw new StoreError(`Cannot read the data file ${file}: ${(error as Error).message}`);
  }
  if (parsed === null) return null;
  const shape = SnapshotShape.safeParse(parsed);
  if (!shape.success) {
    const issue = shape.error.issues[0]!;
    throw new StoreError(`The data file ${file} is not a passwordless-login store (at "${issue.path.join('.')}": ${issue.message}). It was left untouched.`);
  }
  const data = parsed as Snapshot;
  return {
    version: FORMAT_VERSION,
    journal: shape.data.journal ?? 0,
    users: record(data.users),
    userIdsByEmailKey: record(data.userIdsByEmailKey),
    logins: record(data.logins),
    sessions: record(data.sessions),
  };
}

async function openJournal(path: string, options: { hold?: boolean; fresh?: boolean } = {}): Promise<Journal> {
  return Journal.open(path, options).catch((error: Error) => {
    throw new StoreError(`Cannot write the journal ${path}: ${error.message}`);
  });
}

/** Journals of other generations are left over from a crash during compaction: already in the snapshot. */
async function removeStaleJournals(file: string, current: number): Promise<void> {
  const prefix = `${basename(file)}.journal-`;
  const names = await readdir(dirname(file));
  const stale = names.filter((name) => name.startsWith(prefix) && name !== basename(journalPath(file, current)));
  await Promise.all(stale.map((name) => rm(join(dirname(file), name), { force: true })));
}

class JsonStore implements Store {
  readonly #file: string;
  readonly #db: Low<Snapshot>;
  #journal: Journal;
  readonly #release: () => Promise<void>;
  readonly #compactAfter: number;
  readonly #onWarning: ((message: string) => void) | undefined;
  /** link-token hash → email key, derived from the login states. */
  readonly #linkTokens = new Map<string, string>();
  #compacting: Promise<void> | null = null;
  #snapshotBytes = 0;

  constructor(file: string, db: Low<Snapshot>, journal: Journal, release: () => Promise<void>, options: JsonStoreOptions) {
    this.#file = file;
    this.#db = db;
    this.#journal = journal;
    this.#release = release;
    this.#compactAfter = options.compactAfterBytes ?? 8 * 1024 * 1024;
    this.#onWarning = options.onWarning;
    for (const [emailKey, state] of Object.entries(db.data.logins)) {
      for (const sequence of state.sequences) this.#linkTokens.set(sequence.tokenHash, emailKey);
    }
  }

  get #data(): Snapshot {
    return this.#db.data;
  }

  /** Applies a journal line read at start. */
  replay(entry: JournalEntry): void {
    if (entry.op === 'login') this.#putLogin(entry.key, (entry.value as LoginState | null) ?? null);
    else if (entry.op === 'user') this.#putUser(entry.key, (entry.value as UserRecord | null) ?? null);
    else if (entry.op === 'revoke') for (const tokenHash of entry.value) this.#putSession(tokenHash, null);
    else this.#putSession(entry.key, (entry.value as SessionRecord | null) ?? null);
  }

  async updateLogin<T>(emailKey: string, change: Change<LoginState, T>): Promise<T> {
    const before = this.#own(this.#data.logins, emailKey);
    const { next, result } = change(before ? structuredClone(before) : null);
    this.#putLogin(emailKey, next);
    await this.#commit({ op: 'login', key: emailKey, value: next });
    return result;
  }

  async findLoginKeyByTokenHash(tokenHash: string): Promise<string | null> {
    return this.#linkTokens.get(tokenHash) ?? null;
  }

  async findUserByEmailKey(emailKey: string): Promise<UserRecord | null> {
    const id = this.#own(this.#data.userIdsByEmailKey, emailKey);
    // The same copy work for a miss as for a hit: a request for an unknown address must not
    // answer measurably sooner (bench/enumeration-timing.ts found 2 µs vs 0.2 µs before).
    const copy = structuredClone(id ? this.#data.users[id]! : MISSING_USER);
    return id ? copy : null;
  }

  async findUserById(id: string): Promise<UserRecord | null> {
    const user = this.#own(this.#data.users, id);
    return user ? structuredClone(user) : null;
  }

  async updateUser<T>(emailKey: string, change: Change<UserRecord, T>): Promise<T> {
    const id = this.#own(this.#data.userIdsByEmailKey, emailKey);
    const before = id ? (this.#data.users[id] ?? null) : null;
    const { next, result } = change(before ? structuredClone(before) : null);
    this.#putUser(emailKey, next);
    await this.#commit({ op: 'user', key: emailKey, value: next });
    return result;
  }

  async createSession(session: SessionRecord): Promise<void> {
    this.#putSession(session.tokenHash, { ...session });
    await this.#commit({ op: 'session', key: session.tokenHash, value: session });
  }

  async findSession(tokenHash: string): Promise<SessionRecord | null> {
    const session = this.#own(this.#data.sessions, tokenHash);
    return session ? { ...session } : null;
  }

  async deleteSession(tokenHash: string): Promise<boolean> {
    if (!this.#own(this.#data.sessions, tokenHash)) return false;
    this.#putSession(tokenHash, null);
    await this.#commit({ op: 'session', key: tokenHash, value: null });
    return true;
  }

  /**
   * Removed in memory at once (a session created after this call started is not among them), then
   * journaled as one line. The line is written even when there was nothing to remove: its fsync
   * comes after every change applied before it, so once this resolves no earlier sign-in or
   * sign-out of this user still waits for the disk.
   */
  async deleteUserSessions(userId: string): Promise<number> {
    // A synchronous scan, like the sweep's: nothing else runs between it and the removal.
    const tokenHashes = Object.keys(this.#data.sessions).filter((tokenHash) => this.#data.sessions[tokenHash]!.userId === userId);
    for (const tokenHash of tokenHashes) this.#putSession(tokenHash, null);
    await this.#commit({ op: 'revoke', key: userId, value: tokenHashes });
    return tokenHashes.length;
  }

  /** Tidies in memory, then makes it durable with a snapshot rather than a journal line per record. */
  async sweep(now: number, tidy: (state: LoginState) => LoginState | null): Promise<{ logins: number; sessions: number }> {
    let logins = 0;
    let sessions = 0;
    for (const [emailKey, state] of Object.entries(this.#data.logins)) {
      const kept = tidy(structuredClone(state));
      this.#putLogin(emailKey, kept);
      if (!kept) logins += 1;
    }
    for (const [tokenHash, session] of Object.entries(this.#data.sessions)) {
      if (session.expiresAt <= now) {
        this.#putSession(tokenHash, null);
        sessions += 1;
      }
    }
    await this.#compact();
    return { logins, sessions };
  }

  /** Copies of every record, as a restart would see them: for the migration to Redis. */
  async snapshot(): Promise<JsonStoreContents> {
    const data = structuredClone(this.#data);
    return { users: Object.values(data.users), logins: Object.values(data.logins), sessions: Object.values(data.sessions) };
  }

  async close(): Promise<void> {
    await this.#compacting;
    await this.#journal.close();
    await this.#release();
  }

  #own<V>(record: Record<string, V>, key: string): V | null {
    return Object.hasOwn(record, key) ? record[key]! : null;
  }

  async #commit(entry: JournalEntry): Promise<void> {
    const written = this.#journal.append(entry);
    // Twice the snapshot: a compaction serializes everything (it blocks for about 0.5 s at 100,000
    // users), so waiting for twice its size halves that cost per write; a restart replays at most
    // two snapshots' worth of journal.
    // A failed compaction has failed the writes it held; it is tried again after the next write.
    if (!this.#compacting && this.#journal.bytes > Math.max(this.#compactAfter, 2 * this.#snapshotBytes)) this.#compact().catch(() => {});
    await written;
  }

  /**
   * Writes a snapshot of everything applied so far and starts the next journal. The snapshot is
   * taken and the journals switched in one synchronous step; lines in the new journal are held
   * (not acknowledged) until the snapshot naming it is on disk.
   */
  #compact(): Promise<void> {
    this.#compacting ??= (async () => {
      const generation = this.#data.journal + 1;
      const next = await openJournal(journalPath(this.#file, generation), { hold: true, fresh: true });
      const previous = this.#journal;
      this.#journal = next;
      this.#data.journal = generation;
      try {
        // Low.write serializes the data synchronously, here, before its first await.
        await this.#db.write();
      } catch (error) {
        if (!(error instanceof ReplacedButNotSynced)) {
          // The snapshot naming the new journal is not on disk: a restart would replay the
          // previous journal, so what went into the new one is not durable. Fail those writes, go back.
          this.#journal = previous;
          this.#data.journal = generation - 1;
          await next.abandon(new StoreError(`Cannot write the snapshot ${this.#file}: ${(error as Error).message}`));
          await rm(next.path, { force: true });
          throw error;
        }
        // Replaced on disk, only the directory sync failed: the snapshot names the new journal now,
        // so that is the one to keep; going back would lose what is acknowledged from here on.
        this.#onWarning?.(error.message);
      }
      next.release();
      this.#snapshotBytes = (this.#db.adapter as DurableJsonFile<Snapshot>).bytesWritten;
      await previous.close();
      await rm(previous.path, { force: true });
    })().finally(() => {
      this.#compacting = null;
    });
    return this.#compacting;
  }

  /** Replaces one login state and keeps the link-token index in step with its sequences. */
  #putLogin(emailKey: string, next: LoginState | null): void {
    const data = this.#data;
    for (const sequence of this.#own(data.logins, emailKey)?.sequences ?? []) this.#linkTokens.delete(sequence.tokenHash);
    if (next) {
      data.logins[emailKey] = next;
      for (const sequence of next.sequences) this.#linkTokens.set(sequence.tokenHash, emailKey);
    } else {
      delete data.logins[emailKey];
    }
  }

  #putUser(emailKey: string, next: UserRecord | null): void {
    const data = this.#data;
    const id = this.#own(data.userIdsByEmailKey, emailKey);
    if (id) {
      delete data.users[id];
      delete data.userIdsByEmailKey[emailKey];
    }
    if (next) {
      data.users[next.id] = next;
      data.userIdsByEmailKey[emailKey] = next.id;
    }
  }

  #putSession(tokenHash: string, session: SessionRecord | null): void {
    if (session) this.#data.sessions[tokenHash] = session;
    else delete this.#data.sessions[tokenHash];
  }
}

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
