/**
 * The embedded store: a JSON snapshot (through lowdb) plus an append-only journal.
 *
 * - Durability: every change is applied in memory, then appended to the journal and
 *   acknowledged only once the journal is fsynced; concurrent changes share one write and one
 *   fsync (journal.ts). What a request was told survives `kill -9` at any moment.
 * - Cost: a change costs one line, whatever the number of users, instead of rewriting the file.
 *   When the journal is twice the snapshot's size, a new snapshot is written durably (temp file,
 *   fsync, rename), in pieces while requests go on, and names the next journal; the old one is
 *   then deleted. A crash at any point replays the journal its snapshot names and any later one
 *   (a compaction it interrupted), so no write waits for a snapshot.
 * - Atomicity: changes are applied synchronously in one process, so no two changes to one record
 *   interleave; the lock (lock.ts) keeps a second process off the same file.
 * - Memory: each record is held as one compact string (record-text.ts, store-data.ts), with three
 *   derived indexes (user id → address, link token → address, user id → passkey IDs) that are never written. At
 *   100,000 users that is 24 MB of heap where the parsed objects took 50 MB. Sessions by user are found by a scan: only
 *   `deleteUserSessions`, `listUserSessions` and `deleteUser`, rare administrative calls, need them, and every
 *   sign-in would otherwise pay to keep an index. Users are listed by a scan too (`listUsers`).
 * - Erasure: `deleteUser` is one `erase` line, then a compaction, so no file keeps the address.
 * - No stalls: the snapshot is read and written a piece at a time (snapshot-file.ts), the journal
 *   is replayed line by line, and the sweep yields every 1,000 records, so nothing proportional
 *   to the data holds the event loop.
 * - A snapshot or journal that does not parse or has the wrong shape stops the start with a
 *   message naming the file, which is left untouched. The one repair made is cutting a journal's
 *   torn last line: a write the crash interrupted, which was never acknowledged.
 */
import { access, constants, mkdir, rm, stat, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Low } from 'lowdb';
import { ReplacedButNotSynced, syncDirectory } from './durable-file.ts';
import { entryLine, Journal, JournalCorruptError, journalGenerations, journalPath, journalsFrom, replayJournal, type JournalEntry } from './journal.ts';
import { AuditFiles } from './audit-files.ts';
import { acquireLock } from './lock.ts';
import { SnapshotFile } from './snapshot-file.ts';
import { LOGIN, pack, unpack, USER } from './record-text.ts';
import { applyEntry, emptyStoreData, eraseUser, moveUser, passkeyIdsOf, putClaim, putLogin, putPasskey, putSession, putUser, readLogin, readPasskey, readSession, readUser, type StoreData } from './store-data.ts';
import type { AuditQuery, AuditRecord, Change, DailyCounts, LoginState, PasskeyRecord, SessionRecord, Store, UserRecord } from '../types.ts';
import { StoreError } from '../types.ts';
import { byListKeyDescending, checkUserListQuery, cursorAfter, listKey, matchesSearch, sortTime, type UserListQuery, type UserPage } from '../user-list.ts';
import { systemClock, type Clock } from '../../time/clock.ts';

/** Records the sweep handles between two yields: about 1 ms of parsing, so a request waits no longer. */
const SWEEP_BATCH = 1_000;

export interface JsonStoreOptions {
  /** Compact once the journal exceeds this many bytes and twice the snapshot's size. Default 8 MB. */
  compactAfterBytes?: number;
  /** Told when a torn journal tail is cut off. */
  onWarning?: (message: string) => void;
  /** The clock of the login rules: decides when a claim stops counting. Default: the system clock. */
  clock?: Clock;
}

/** Every record the store holds, as lists (the migration copies them). */
export interface JsonStoreContents {
  users: UserRecord[];
  logins: LoginState[];
  sessions: SessionRecord[];
  passkeys: PasskeyRecord[];
  /** Spent challenges and until when they count. */
  claims: { key: string; expiresAt: number }[];
}

export type JsonStoreHandle = Store & {
  snapshot(): Promise<JsonStoreContents>;
  /** The audit trail, a day at a time, and the daily counts (audit-files.ts): for the migration. */
  auditTrail(): AsyncGenerator<AuditRecord[]>;
  dailyCounts(): DailyCounts;
};


export async function openJsonStore(file: string, options: JsonStoreOptions = {}): Promise<JsonStoreHandle> {
  // The file holds addresses and userData: a directory we create is readable by us only.
  await mkdir(dirname(file), { recursive: true, mode: 0o700 }).catch((error: Error) => {
    throw new StoreError(`Cannot create the directory for the data file ${file}: ${error.message}`);
  });
  const release = await acquireLock(file);
  try {
    const adapter = new SnapshotFile(file);
    const existing = await adapter.read();
    if (existing) await access(file, constants.W_OK).catch(() => Promise.reject(new StoreError(`The data file ${file} is read-only: the store must be able to write it.`)));
    const db = new Low<StoreData>(adapter, existing ?? emptyStoreData());
    // The journal the snapshot names, then any later one: a compaction the crash interrupted had
    // already acknowledged what it wrote there.
    // Without a data file (deleted to start afresh) a journal left beside it is not replayed.
    const generations = existing ? await journalsFrom(file, db.data.journal) : [db.data.journal];
    for (const generation of generations) await replay(file, generation, db.data, options.onWarning);
    const live = generations.at(-1)!;
    const store = new JsonStore(file, db, await openJournal(journalPath(file, live)), release, await AuditFiles.open(file), options);
    if (!existing || live !== db.data.journal) {
      // A snapshot naming the newest journal holds the older ones' lines: now they can go.
      db.data.journal = live;
      await db.write();
    }
    await removeStaleJournals(file, live);
    return store;
  } catch (error) {
    await release();
    throw error;
  }
}

async function openJournal(path: string, next?: { previousOnDisk: Promise<void> }): Promise<Journal> {
  return Journal.open(path, next).catch((error: Error) => {
    throw new StoreError(`Cannot write the journal ${path}: ${error.message}`);
  });
}

/** Applies one journal's lines; cuts its torn last line (a write a crash interrupted, never acknowledged). */
async function replay(file: string, generation: number, data: StoreData, onWarning: ((message: string) => void) | undefined): Promise<void> {
  const path = journalPath(file, generation);
  const { tornBytes } = await replayJournal(path, (entry) => applyEntry(data, entry)).catch((error: Error) => {
    throw error instanceof JournalCorruptError
      ? new StoreError(`The journal ${path} is damaged (${error.message}). It was left untouched: restore the data directory from a backup.`)
      : new StoreError(`Cannot read the journal ${path}: ${error.message}`);
  });
  if (tornBytes > 0) {
    await truncate(path, (await stat(path)).size - tornBytes);
    onWarning?.(`cut ${tornBytes} bytes of an interrupted, never acknowledged write off the end of ${path}`);
  }
}

/**
 * Every journal but `current`: older ones are in the snapshot that names it (a crash came before
 * they were deleted); a newer one exists only beside a data file that is gone.
 */
async function removeStaleJournals(file: string, current: number): Promise<void> {
  const stale = (await journalGenerations(file)).filter((generation) => generation !== current);
  await Promise.all(stale.map((generation) => rm(journalPath(file, generation), { force: true })));
}

class JsonStore implements Store {
  readonly #file: string;
  readonly #db: Low<StoreData>;
  #journal: Journal;
  readonly #release: () => Promise<void>;
  readonly #compactAfter: number;
  readonly #onWarning: ((message: string) => void) | undefined;
  readonly #clock: Clock;
  #compacting: Promise<boolean> | null = null;
  /** After a compaction failed: the size the journal must pass before the next try (0: none failed). */
  #retryCompactionAt = 0;
  #snapshotBytes: number;
  readonly #audit: AuditFiles;

  constructor(file: string, db: Low<StoreData>, journal: Journal, release: () => Promise<void>, audit: AuditFiles, options: JsonStoreOptions) {
    this.#file = file;
    this.#audit = audit;
    this.#db = db;
    this.#journal = journal;
    this.#release = release;
    this.#compactAfter = options.compactAfterBytes ?? 8 * 1024 * 1024;
    this.#onWarning = options.onWarning;
    this.#clock = options.clock ?? systemClock;
    this.#snapshotBytes = 0;
  }

  get #data(): StoreData {
    return this.#db.data;
  }

  get #adapter(): SnapshotFile {
    return this.#db.adapter as SnapshotFile;
  }

  async updateLogin<T>(emailKey: string, change: Change<LoginState, T>): Promise<T> {
    // Read twice: `change` may alter its copy, and the index needs the link tokens it replaces.
    const before = readLogin(this.#data, emailKey);
    const { next, result } = change(readLogin(this.#data, emailKey));
    putLogin(this.#data, emailKey, next, before);
    await this.#commit(entryLine('login', emailKey, next ? JSON.stringify(next) : null));
    return result;
  }

  async findLoginKeyByTokenHash(tokenHash: string): Promise<string | null> {
    return this.#data.linkTokens.get(tokenHash) ?? null;
  }

  async findUserByEmailKey(emailKey: string): Promise<UserRecord | null> {
    const known = this.#data.users.has(emailKey);
    // The same parse work for a miss as for a hit: a request for an unknown address must not
    // answer measurably sooner (bench/enumeration-timing.ts found 2 µs vs 0.2 µs before).
    const user = known ? readUser(this.#data, emailKey) : unpack<UserRecord>(USER, emailKey, MISSING_USER);
    return known ? user : null;
  }

  async findUserById(id: string): Promise<UserRecord | null> {
    const emailKey = this.#data.userKeysById.get(id);
    return emailKey === undefined ? null : readUser(this.#data, emailKey);
  }

  async updateUser<T>(emailKey: string, change: Change<UserRecord, T>): Promise<T> {
    const { next, result } = change(readUser(this.#data, emailKey));
    putUser(this.#data, emailKey, next);
    await this.#commit(entryLine('user', emailKey, next ? JSON.stringify(next) : null));
    return result;
  }

  async createSession(session: SessionRecord): Promise<void> {
    putSession(this.#data, session.tokenHash, session);
    await this.#commit(entryLine('session', session.tokenHash, JSON.stringify(session)));
  }

  async findSession(tokenHash: string): Promise<SessionRecord | null> {
    return readSession(this.#data, tokenHash);
  }

  async deleteSession(tokenHash: string): Promise<boolean> {
    if (!this.#data.sessions.has(tokenHash)) return false;
    putSession(this.#data, tokenHash, null);
    await this.#commit(entryLine('session', tokenHash, null));
    return true;
  }

  /**
   * Removed in memory at once (a session created after this call started is not among them), then
   * journaled as one line. The line is written even when there was nothing to remove: its fsync
   * comes after every change applied before it, so once this resolves no earlier sign-in or
   * sign-out of this user still waits for the disk.
   */
  async listUserSessions(userId: string): Promise<SessionRecord[]> {
    const now = this.#clock.now();
    return this.#sessionsOf(userId)
      .map((tokenHash) => readSession(this.#data, tokenHash)!)
      .filter((session) => session.expiresAt > now)
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  async deleteUserSessions(userId: string): Promise<number> {
    const tokenHashes = this.#sessionsOf(userId);
    for (const tokenHash of tokenHashes) putSession(this.#data, tokenHash, null);
    await this.#commit({ op: 'revoke', key: userId, value: tokenHashes });
    return tokenHashes.length;
  }

  /**
   * A synchronous scan, like the sweep's: nothing else runs between it and the removal that
   * follows. The text is searched first (about 10 ms at 100,000 sessions), and only a match is parsed.
   */
  #sessionsOf(userId: string): string[] {
    const needle = JSON.stringify(userId);
    const tokenHashes: string[] = [];
    for (const [tokenHash, text] of this.#data.sessions) {
      if (text.includes(needle) && readSession(this.#data, tokenHash)!.userId === userId) tokenHashes.push(tokenHash);
    }
    return tokenHashes;
  }

  /**
   * Erased in memory in one synchronous step, journaled as one `erase` line (no address in it),
   * then compacted: the snapshot is written without the user and the journals that named the
   * address are deleted, so once this resolves no file of the store holds the address or a hash
   * of it. The compaction costs what any compaction does (written in pieces, requests go on):
   * erasure is rare. If it fails, the erasure stands (its line is durable) and the next
   * compaction removes the old lines; the failure goes to `onWarning`.
   */
  async deleteUser(userId: string): Promise<{ sessions: number; passkeys: number } | null> {
    if (!this.#data.userKeysById.has(userId)) return null;
    const erased = { sessions: this.#sessionsOf(userId), passkeys: passkeyIdsOf(this.#data, userId) };
    eraseUser(this.#data, userId, erased);
    await this.#commit({ op: 'erase', key: userId, value: erased });
    // A compaction already running may have written the user before the erasure: the next one cannot.
    await this.#compacting?.catch(() => {});
    const removed = await this.#compact().catch((error: Error) => {
      this.#onWarning?.(`the snapshot after erasing a user failed (${error.message}); the next compaction removes the erased records from the files`);
      return null;
    });
    if (removed === false) this.#onWarning?.('the snapshot after erasing a user is written but its directory could not be synced, so the older journals, which hold the erased records, stay until the next compaction');
    return { sessions: erased.sessions.length, passkeys: erased.passkeys.length };
  }

  /** Checked and applied in memory in one synchronous step, journaled as one `move` line. */
  async changeUserEmail(userId: string, to: { email: string; emailKey: string }): Promise<UserRecord | 'taken' | null> {
    const fromKey = this.#data.userKeysById.get(userId);
    if (fromKey === undefined) return null;
    const holder = readUser(this.#data, to.emailKey);
    if (holder && holder.id !== userId) return 'taken';
    const next: UserRecord = { ...readUser(this.#data, fromKey)!, email: to.email, emailKey: to.emailKey };
    moveUser(this.#data, fromKey, next);
    await this.#commit({ op: 'move', key: fromKey, value: next });
    return next;
  }

  /**
   * A scan of every user, parsed, yielding every SWEEP_BATCH records as the sweep does: O(users)
   * a page (docs/storage.md has the measured time), never holding the event loop for more than
   * a batch. Only the `limit + 1` first in the page order are kept (the one more tells whether
   * there is a next page), so memory stays a page.
   */
  async listUsers(query: UserListQuery): Promise<UserPage> {
    const { limit, search, sort, after } = checkUserListQuery(query);
    const start = after ? listKey(after.at, after.id) : null;
    const best: { key: string; user: UserRecord }[] = [];
    let seen = 0;
    for (const emailKey of this.#data.users.keys()) {
      if (++seen % SWEEP_BATCH === 0) await yieldToEventLoop();
      // Erased during a yield: the Map iterator goes on past it.
      const user = readUser(this.#data, emailKey);
      if (!user || !matchesSearch(user, search)) continue;
      const key = listKey(sortTime(user, sort), user.id);
      if (start !== null && byListKeyDescending(key, start) <= 0) continue;
      if (best.length > limit && byListKeyDescending(key, best[limit]!.key) >= 0) continue;
      // Binary search for its place: the kept list stays in page order at O(log limit) a user.
      let low = 0;
      let high = best.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (byListKeyDescending(best[middle]!.key, key) < 0) low = middle + 1;
        else high = middle;
      }
      best.splice(low, 0, { key, user });
      if (best.length > limit + 1) best.pop();
    }
    const users = best.slice(0, limit).map((entry) => entry.user);
    return { users, next: best.length > limit ? cursorAfter(users.at(-1)!, sort) : null };
  }

  async countUsers(): Promise<number> {
    return this.#data.users.size;
  }

  async addPasskey(passkey: PasskeyRecord): Promise<boolean> {
    if (this.#data.passkeys.has(passkey.id)) return false;
    putPasskey(this.#data, passkey.id, passkey);
    await this.#commit(entryLine('passkey', passkey.id, JSON.stringify(passkey)));
    return true;
  }

  async findPasskey(id: string): Promise<PasskeyRecord | null> {
    return readPasskey(this.#data, id);
  }

  async listPasskeys(userId: string): Promise<PasskeyRecord[]> {
    // The index is in the order they were added; a stable sort keeps it for equal times.
    return passkeyIdsOf(this.#data, userId).map((id) => readPasskey(this.#data, id)!).sort((a, b) => a.createdAt - b.createdAt);
  }

  async updatePasskey<T>(id: string, change: Change<PasskeyRecord, T>): Promise<T> {
    const { next, result } = change(readPasskey(this.#data, id));
    // The record is kept under the ID it was asked for: a change cannot move it to another.
    const stored = next ? { ...next, id } : null;
    putPasskey(this.#data, id, stored);
    await this.#commit(entryLine('passkey', id, stored ? JSON.stringify(stored) : null));
    return result;
  }

  /**
   * Checked and set in one synchronous step, so of concurrent claims exactly one finds the key
   * free. A claim past its expiry no longer counts, swept or not (as in the other stores).
   */
  async claimOnce(key: string, expiresAt: number): Promise<boolean> {
    const until = this.#data.claims.get(key);
    if (until !== undefined && until > this.#clock.now()) return false;
    putClaim(this.#data, key, expiresAt);
    await this.#commit(JSON.stringify({ op: 'claim', key, value: expiresAt } satisfies JournalEntry));
    return true;
  }

  /**
   * Tidies in memory, a batch at a time with a yield between batches (each record is read and
   * replaced in one synchronous step, so a request in between never sees half of it), then makes
   * it durable with a snapshot rather than a journal line per record. A crash before that
   * snapshot only brings back records that can never matter again, for the next sweep.
   */
  async sweep(now: number, tidy: (state: LoginState) => LoginState | null): Promise<{ logins: number; sessions: number }> {
    let logins = 0;
    let sessions = 0;
    let changed = false;
    let seen = 0;
    // Map iterators stay valid across the yields; a record added meanwhile is fresh anyway.
    for (const [emailKey, text] of this.#data.logins) {
      const before = readLogin(this.#data, emailKey)!;
      const kept = tidy(readLogin(this.#data, emailKey)!);
      if (!kept || pack(LOGIN, emailKey, kept) !== text) {
        putLogin(this.#data, emailKey, kept, before);
        changed = true;
        if (!kept) logins += 1;
      }
      if (++seen % SWEEP_BATCH === 0) await yieldToEventLoop();
    }
    for (const tokenHash of this.#data.sessions.keys()) {
      if (readSession(this.#data, tokenHash)!.expiresAt <= now) {
        putSession(this.#data, tokenHash, null);
        changed = true;
        sessions += 1;
      }
      if (++seen % SWEEP_BATCH === 0) await yieldToEventLoop();
    }
    // Claims are numbers, nothing to parse: 100,000 (half of them expired) took 36 ms in all, so
    // under 0.4 ms between two yields. There are rarely that many: one per challenge spent in the last code lifetime.
    for (const [key, expiresAt] of this.#data.claims) {
      if (expiresAt <= now) {
        putClaim(this.#data, key, null);
        changed = true;
      }
      if (++seen % SWEEP_BATCH === 0) await yieldToEventLoop();
    }
    // A compaction already running may have written records before this sweep removed them.
    await this.#compacting?.catch(() => {});
    if (changed || this.#journal.bytes > 0) await this.#compact();
    return { logins, sessions };
  }

  /** Copies of every record, as a restart would see them: for the migration to Redis. */
  async snapshot(): Promise<JsonStoreContents> {
    const data = this.#data;
    return {
      users: [...data.users.keys()].map((key) => readUser(data, key)!),
      logins: [...data.logins.keys()].map((key) => readLogin(data, key)!),
      sessions: [...data.sessions.keys()].map((key) => readSession(data, key)!),
      passkeys: [...data.passkeys.keys()].map((key) => readPasskey(data, key)!),
      claims: [...data.claims].map(([key, expiresAt]) => ({ key, expiresAt })),
    };
  }

  // --- The audit trail and daily counts: files beside the data file, not in memory (audit-files.ts) ---

  appendAudit(records: AuditRecord[]): Promise<void> {
    return this.#audit.append(records);
  }

  listAudit(query: AuditQuery): Promise<AuditRecord[]> {
    return this.#audit.list(query);
  }

  sweepAudit(before: number): Promise<number> {
    return this.#audit.sweep(before);
  }

  addDailyCounts(day: string, counts: Record<string, number>): Promise<void> {
    return this.#audit.addCounts(day, counts);
  }

  async listDailyCounts(fromDay: string, toDay: string): Promise<DailyCounts> {
    return this.#audit.listCounts(fromDay, toDay);
  }

  auditTrail(): AsyncGenerator<AuditRecord[]> {
    return this.#audit.entries();
  }

  dailyCounts(): DailyCounts {
    return this.#audit.allCounts();
  }

  /** A scan of the sessions, parsed, yielding as the sweep does: 220 ms at 100,000 sessions (measured), for an operator's overview. */
  async countSessions(now: number): Promise<number> {
    let live = 0;
    let seen = 0;
    for (const tokenHash of this.#data.sessions.keys()) {
      if ((readSession(this.#data, tokenHash)?.expiresAt ?? 0) > now) live += 1;
      if (++seen % SWEEP_BATCH === 0) await yieldToEventLoop();
    }
    return live;
  }

  async close(): Promise<void> {
    await this.#compacting?.catch(() => {});
    await this.#audit.close();
    await this.#journal.close();
    await this.#release();
  }

  async #commit(entry: JournalEntry | string): Promise<void> {
    const written = this.#journal.append(entry);
    // Twice the snapshot: a restart replays at most two snapshots' worth of journal, and the
    // snapshot's write costs disk time, not event-loop time (snapshot-file.ts).
    if (!this.#compacting && this.#journal.bytes > Math.max(this.#compactAfter, 2 * this.#snapshotBytes, this.#retryCompactionAt)) {
      this.#compact().catch((error: Error) => this.#compactionFailed(error));
    }
    await written;
  }

  /**
   * A compaction that failed loses nothing: every change is in the journals, which a start
   * replays. It is said (the operator sees a disk full or a directory it cannot read before the
   * journal fills the disk), and tried again no sooner than the journal has grown by the threshold
   * once more: a failure that lasts (a directory it cannot read stops it before the journals
   * switch) would otherwise be tried, and said, at every write. Any compaction that switches the
   * journals (a sweep's, an erasure's) clears the mark.
   */
  #compactionFailed(error: Error): void {
    this.#retryCompactionAt = this.#journal.bytes + this.#compactAfter;
    this.#onWarning?.(`writing a new snapshot failed (${error.message}); every change is kept in the journal, and the next try comes no sooner than it has grown by ${this.#compactAfter} bytes more`);
  }

  /**
   * Writes a snapshot and starts the next journal. The journals are switched in one synchronous
   * step, then the records are written a piece at a time while changes go on. A change made
   * meanwhile goes to the new journal and is acknowledged as soon as its line is synced, as any
   * other: a start replays the journal its snapshot names and every later one, so it is kept
   * whether or not the snapshot reaches the disk. (Holding those answers until the snapshot was
   * on disk stalled every write for the whole compaction: p99 of 868 and 1,198 ms in the
   * 30 s windows of two compactions, at 30,000 and 70,000 users, `npm run bench:steady -- --mode
   * grow`.) The change may or may not be in the snapshot too; replaying the journal over it gives
   * the same records either way (whole-record puts and deletes). The older journals are deleted
   * once the snapshot naming the new one is on disk; after a failed snapshot they stay, to be
   * replayed, and the next compaction tries again.
   */
  /** Resolves with whether the older journals were removed (false: kept after a directory sync failed). */
  #compact(): Promise<boolean> {
    this.#compacting ??= (async () => {
      const generation = this.#data.journal + 1;
      const previous = this.#journal;
      // Settles (never rejects) once every line handed to the previous journal has its outcome.
      let previousOnDisk!: () => void;
      const next = await openJournal(journalPath(this.#file, generation), { previousOnDisk: new Promise<void>((resolve) => (previousOnDisk = resolve)) });
      // The new file's name must be on disk before a line in it is acknowledged, or a power cut
      // could forget the file (the snapshot's own directory sync comes seconds later).
      try {
        await syncDirectory(dirname(this.#file));
      } catch (error) {
        previousOnDisk();
        await next.close();
        await rm(next.path, { force: true });
        throw error;
      }
      this.#journal = next;
      this.#data.journal = generation;
      // A new journal: whatever failed before (the back-off's mark counted the old one's bytes) starts afresh.
      this.#retryCompactionAt = 0;
      await previous.close().finally(previousOnDisk);
      try {
        await this.#db.write();
      } catch (error) {
        if (!(error instanceof ReplacedButNotSynced)) throw error;
        // Replaced, but the directory sync failed: after a power cut the old snapshot may be the
        // one on disk, so the old journals stay (a start replays them before this one) until the
        // next compaction succeeds.
        this.#onWarning?.(error.message);
        this.#snapshotBytes = this.#adapter.bytesWritten;
        return false;
      }
      this.#snapshotBytes = this.#adapter.bytesWritten;
      await removeStaleJournals(this.#file, generation);
      return true;
    })().finally(() => {
      this.#compacting = null;
    });
    return this.#compacting;
  }
}

/** A user-shaped record read on a lookup miss, so a miss costs what a hit does. */
const MISSING_USER = pack(USER, '', {
  id: '',
  email: '',
  emailKey: '',
  emailVerified: false,
  createdAt: '',
  lastLoginAt: null,
  data: {},
} satisfies UserRecord);
