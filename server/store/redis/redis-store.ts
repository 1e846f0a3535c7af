/**
 * The Redis store, for several backend instances sharing one Redis (docs/storage.md, "Redis").
 *
 * Key layout (every key under `keyPrefix`, default `pl:`):
 *   login:<emailKey>       one JSON LoginState          PEXPIREAT retention.loginState(state)
 *   link:<tokenHash>       the emailKey                 PEXPIREAT retention.link(sequence)
 *   user:<id>              one JSON UserRecord          no expiry
 *   user-email:<emailKey>  the user's id                no expiry
 *   session:<tokenHash>    one JSON SessionRecord       PEXPIREAT expiresAt
 *   user-sessions:<userId> sorted set of the user's session token hashes, scored by expiresAt
 *                                                       PEXPIREAT the latest expiresAt in it
 *   passkey:<credentialId> one JSON PasskeyRecord      no expiry (it lives as long as its user)
 *   user-passkeys:<userId> sorted set of the user's credential IDs, scored by createdAt
 *                                                       no expiry
 *   claim:<key>            1 (a spent challenge)        PXAT the claim's expiresAt
 *   users-by-created       sorted set of every user as "<createdAt> <id>", all scored 0 (read
 *                          by lexical range: user-list.ts's order)             no expiry
 *   users-by-sign-in       the same as "<lastLoginAt or nothing> <id>"          no expiry
 *   ip-request:<ip>, ip-verify:<ip>                     rate-limiter-flexible's counters (ip-limits.ts)
 *   sessions-by-expiry     sorted set of every session's token hash, scored by expiresAt (countSessions:
 *                          a ZCOUNT, never a scan); trimmed of expired members by each new session
 *   audit                  sorted set of every trail entry "<sequence> <JSON>", scored by at (audit-scripts.ts)
 *                                                       no expiry: sweepAudit removes in batches
 *   audit-user:<userId>    the same members for one user                        PEXPIREAT newest at + auditRetentionMs
 *   audit-seq              the entries' sequence        no expiry
 *   daily:<YYYY-MM-DD>     hash of the day's counters (sign_in:code, mail:sent…)  PEXPIREAT day's end + auditRetentionMs
 *   daily-days             sorted set of the days counted, scored by their midnight (the sweep's index)
 *
 * Atomicity: `updateLogin` and `updateUser` are optimistic compare-and-set. The current value is
 * read, the synchronous `change` runs in this process, and a Lua script writes the result only if
 * the key still holds exactly what was read (else the change is re-run on the new value). The
 * script also replaces the link-token index entries and sets the expiries, so a login state and
 * its index never disagree. Not WATCH/MULTI/EXEC: WATCH belongs to a connection, and ioredis
 * sends every caller's commands down one connection, so two changes in flight would unwatch
 * each other (a lost update) unless each took a connection of its own from a pool. Changes to
 * one key within this process also queue behind each other, so only other instances can cause a
 * retry: 200 concurrent changes cost 200 round trips, not 200².
 *
 * Expiry: Redis deletes what no longer matters (the TTLs above), so `sweep` does nothing and
 * returns zeros. Times are compared with the injected clock's `now`; `PEXPIREAT` uses the same
 * epoch milliseconds, so application and Redis clocks must agree (NTP), as they do in production.
 * A login state already past its retention is deleted at once rather than written.
 * The user-sessions set cannot grow with sessions that expired: each new session first drops the
 * members scored at or before now, and the set itself expires with its last session. Creating,
 * deleting and revoking sessions are Lua scripts that change a session and the set together.
 * `findSession` answers null past `expiresAt` even before Redis has evicted the key.
 *
 * Users: the two list sets change with the user record in SET_USER's script. A start fills them
 * for users stored before they existed (a SCAN of the user keys, in one script per page), unless
 * `users-by-created` exists already; the migration tool fills them after its copy. A listing
 * checks each member against the record it names and skips one that no longer matches (a user
 * an older version wrote during a rolling upgrade), so it never shows a stale time. `deleteUser` is one script (ERASE_USER): atomic, and null the second time.
 *
 * Durability: a method resolves once Redis has acknowledged its write. That is "on disk" only if
 * the Redis server is configured so (`appendonly yes` with `appendfsync always`, or replicas and
 * WAIT); with the defaults a Redis crash can lose the last second.
 *
 * Failure: every command fails (a rejected promise, so a 500 at the HTTP edge) rather than hangs:
 * at most one reconnection attempt per command, a 3 s connect timeout and a 5 s command timeout.
 * Standalone Redis (or one primary): scripts touch keys they compute, which Redis Cluster refuses.
 */
import type { Redis } from 'ioredis';
import { systemClock, type Clock } from '../../time/clock.ts';
import type { Change, LoginState, PasskeyRecord, Retention, SessionRecord, Store, UserRecord } from '../types.ts';
import { backOff, KeyQueue } from '../key-queue.ts';
import { checkUserListQuery, cursorAfter, listKey, matchesSearch, sortTime, type UserListQuery, type UserPage } from '../user-list.ts';
import { connectRedis, keysStartingWith } from './connection.ts';
import { defineScripts, type Scripted } from './lua-scripts.ts';
import { defineAuditScripts, MEMBER_PREFIX, type AuditScripted } from './audit-scripts.ts';
import { auditRecord, checkAuditQuery, checkCounts, dayOf, dayStart, daysBetween } from '../audit-records.ts';
import type { AuditQuery, AuditRecord, DailyCounts } from '../types.ts';

export const DEFAULT_KEY_PREFIX = 'pl:';

export interface RedisStoreOptions {
  /** How long a login state and a link index entry matter: their keys' expiries (login/retention.ts). */
  retention: Retention;
  keyPrefix?: string;
  /** The clock of the login rules: decides when a session is over. Default: the system clock. */
  clock?: Clock;
  /** Called with connection errors (ioredis reports them as events while it reconnects). */
  onError?: (error: Error) => void;
  /**
   * Fill the user list sets at the start for users stored before them (default true). The
   * migration tool says false, so a target it refuses stays as it was, and fills them after its copy.
   */
  fillUserLists?: boolean;
  /** How long the audit trail and daily counts are kept (ms; AUDIT_RETENTION_DAYS): their keys' expiries. Default: none (the sweep removes them). */
  auditRetentionMs?: number;
}

export interface RedisStore extends Store {
  /** The connection, shared with the per-IP limiters; `close()` quits it. */
  readonly client: Redis;
  readonly keyPrefix: string;
  /** Adds every stored user to the list sets; `always`: even when they exist (after a copy into a keyspace that held users). */
  fillUserLists(options?: { always?: boolean }): Promise<void>;
}

/** Attempts of one compare-and-set before giving up (only other instances can cause a retry). */
const MAX_CAS_ATTEMPTS = 50;

export async function openRedisStore(url: string, options: RedisStoreOptions): Promise<RedisStore> {
  const client = await connectRedis(url, options.onError);
  const store = new RedisStoreImpl(client, options);
  try {
    if (options.fillUserLists !== false) await store.fillUserLists();
    await store.fillSessionCount();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/** Members read per round trip of a listing with a search (each names a user to read and test). */
const SEARCH_BATCH = 500;

class RedisStoreImpl implements RedisStore {
  readonly client: Redis;
  readonly keyPrefix: string;
  readonly #scripts: Scripted;
  readonly #auditScripts: AuditScripted;
  readonly #auditRetentionMs: number;
  readonly #retention: Retention;
  readonly #clock: Clock;
  /** Changes to one key in this process run one after another. */
  readonly #queue = new KeyQueue();

  constructor(client: Redis, options: RedisStoreOptions) {
    this.client = client;
    this.keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    this.#retention = options.retention;
    this.#clock = options.clock ?? systemClock;
    this.#scripts = defineScripts(client);
    this.#auditScripts = defineAuditScripts(client);
    this.#auditRetentionMs = options.auditRetentionMs ?? 0;
  }

  #key(kind: 'login' | 'link' | 'user' | 'user-email' | 'session' | 'user-sessions' | 'passkey' | 'user-passkeys' | 'claim', id: string): string {
    return `${this.keyPrefix}${kind}:${id}`;
  }

  #listSet(sort: 'created' | 'last_sign_in'): string {
    return `${this.keyPrefix}${sort === 'created' ? 'users-by-created' : 'users-by-sign-in'}`;
  }

  /**
   * Adds the users stored before the list sets existed: a SCAN of `user:*`, 1,000 keys a page,
   * each page one script. Skipped once `users-by-created` exists (a store with no user has
   * none, so its start scans: nothing to read). Two instances starting together add the same
   * members twice: nothing changes.
   */
  async fillUserLists({ always = false } = {}): Promise<void> {
    if (!always && (await this.client.exists(this.#listSet('created'))) === 1) return;
    const pattern = keysStartingWith(this.#key('user', ''));
    let cursor = '0';
    do {
      const [next, keys] = await this.client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) await this.#scripts.plFillUserLists(2 + keys.length, this.#listSet('created'), this.#listSet('last_sign_in'), ...keys);
      cursor = next;
    } while (cursor !== '0');
  }

  updateLogin<T>(emailKey: string, change: Change<LoginState, T>): Promise<T> {
    const key = this.#key('login', emailKey);
    return this.#queue.run(key, async () => {
      for (let attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
        const raw = await this.client.get(key);
        const before = raw === null ? null : (JSON.parse(raw) as LoginState);
        const { next, result } = change(raw === null ? null : (JSON.parse(raw) as LoginState));
        const now = this.#clock.now();
        const until = next ? this.#retention.loginState(next) : 0;
        const kept = next !== null && until > now;
        const links = kept
          ? next.sequences.map((s) => ({ key: this.#key('link', s.tokenHash), at: this.#retention.link(s) })).filter((l) => l.at > now)
          : [];
        const keptLinks = new Set(links.map((l) => l.key));
        const drop = [...new Set((before?.sequences ?? []).map((s) => this.#key('link', s.tokenHash)))].filter((k) => !keptLinks.has(k));
        const written = await this.#scripts.plSetLogin(
          1 + drop.length + links.length,
          key,
          ...drop,
          ...links.map((l) => l.key),
          raw ?? '',
          kept ? JSON.stringify(next) : '',
          until,
          drop.length,
          emailKey,
          ...links.map((l) => l.at),
        );
        if (written === 1) return result;
        await backOff(attempt);
      }
      throw new Error(`Redis store: the login state of one address kept changing under ${MAX_CAS_ATTEMPTS} attempts to update it`);
    });
  }

  async findLoginKeyByTokenHash(tokenHash: string): Promise<string | null> {
    return this.client.get(this.#key('link', tokenHash));
  }

  async findUserByEmailKey(emailKey: string): Promise<UserRecord | null> {
    const [, raw] = await this.#scripts.plGetUser(1, this.#key('user-email', emailKey), this.#key('user', ''));
    return raw === '' ? null : (JSON.parse(raw) as UserRecord);
  }

  async findUserById(id: string): Promise<UserRecord | null> {
    const raw = await this.client.get(this.#key('user', id));
    return raw === null ? null : (JSON.parse(raw) as UserRecord);
  }

  updateUser<T>(emailKey: string, change: Change<UserRecord, T>): Promise<T> {
    const indexKey = this.#key('user-email', emailKey);
    return this.#queue.run(indexKey, async () => {
      for (let attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
        const [id, raw] = await this.#scripts.plGetUser(1, indexKey, this.#key('user', ''));
        const { next, result } = change(raw === '' ? null : (JSON.parse(raw) as UserRecord));
        const written = await this.#scripts.plSetUser(
          5,
          indexKey,
          id === '' ? indexKey : this.#key('user', id),
          next ? this.#key('user', next.id) : indexKey,
          this.#listSet('created'),
          this.#listSet('last_sign_in'),
          id,
          raw,
          next ? JSON.stringify(next) : '',
          next ? next.id : '',
        );
        if (written === 1) return result;
        await backOff(attempt);
      }
      throw new Error(`Redis store: the user record of one address kept changing under ${MAX_CAS_ATTEMPTS} attempts to update it`);
    });
  }

  async createSession(session: SessionRecord): Promise<void> {
    const { tokenHash, userId, expiresAt } = session;
    await this.#scripts.plCreateSession(3, this.#key('session', tokenHash), this.#key('user-sessions', userId), this.#sessionsByExpiry, JSON.stringify(session), expiresAt, tokenHash, this.#clock.now());
  }

  async findSession(tokenHash: string): Promise<SessionRecord | null> {
    const raw = await this.client.get(this.#key('session', tokenHash));
    if (raw === null) return null;
    const session = JSON.parse(raw) as SessionRecord;
    return session.expiresAt > this.#clock.now() ? session : null;
  }

  async deleteSession(tokenHash: string): Promise<boolean> {
    return (await this.#scripts.plDeleteSession(1, this.#key('session', tokenHash), this.#key('user-sessions', ''), tokenHash, this.#sessionsByExpiry)) === 1;
  }

  /** The user's sorted set, then one MGET of the sessions it names (a member whose key expired reads null). */
  async listUserSessions(userId: string): Promise<SessionRecord[]> {
    const tokenHashes = await this.client.zrange(this.#key('user-sessions', userId), '0', '-1');
    if (tokenHashes.length === 0) return [];
    const raws = await this.client.mget(tokenHashes.map((tokenHash) => this.#key('session', tokenHash)));
    const now = this.#clock.now();
    return raws
      .filter((raw): raw is string => raw !== null)
      .map((raw) => JSON.parse(raw) as SessionRecord)
      .filter((session) => session.userId === userId && session.expiresAt > now)
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  async deleteUserSessions(userId: string): Promise<number> {
    return this.#scripts.plDeleteUserSessions(1, this.#key('user-sessions', userId), this.#key('session', ''), this.#sessionsByExpiry);
  }

  /** One script (MOVE_USER), compare-and-set on the record read, as `updateUser`. */
  async changeUserEmail(userId: string, to: { email: string; emailKey: string }): Promise<UserRecord | 'taken' | null> {
    for (let attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
      const raw = await this.client.get(this.#key('user', userId));
      if (raw === null) return null;
      const user = JSON.parse(raw) as UserRecord;
      const next: UserRecord = { ...user, email: to.email, emailKey: to.emailKey };
      const moved = await this.#scripts.plMoveUser(3, this.#key('user', userId), this.#key('user-email', user.emailKey), this.#key('user-email', to.emailKey), raw, JSON.stringify(next), userId);
      if (moved === 1) return next;
      if (moved === -1) return 'taken';
    }
    throw new Error(`Redis store: the user record kept changing under ${MAX_CAS_ATTEMPTS} attempts to change its address`);
  }

  async deleteUser(userId: string): Promise<{ sessions: number; passkeys: number } | null> {
    const removed = await this.#scripts.plEraseUser(1, this.#key('user', userId), this.keyPrefix, userId);
    return removed === null ? null : { sessions: removed[0], passkeys: removed[1] };
  }

  /**
   * A lexical range of the sort's set from the cursor, newest first, and one MGET of the users it
   * names: two round trips a page. A search reads on, SEARCH_BATCH members at a time, until the
   * page is full or the set ends: every user is read when few match (O(users)).
   */
  async listUsers(query: UserListQuery): Promise<UserPage> {
    const { limit, search, sort, after } = checkUserListQuery(query);
    const set = this.#listSet(sort);
    const batch = search === null ? limit + 1 : SEARCH_BATCH;
    const users: UserRecord[] = [];
    let from = after ? `(${listKey(after.at, after.id)}` : '+';
    for (;;) {
      const members = await this.client.zrange(set, from, '-', 'BYLEX', 'REV', 'LIMIT', 0, batch);
      if (members.length === 0) break;
      const raws = await this.client.mget(members.map((member) => this.#key('user', member.slice(member.indexOf(' ') + 1))));
      for (const [index, raw] of raws.entries()) {
        if (raw === null) continue;
        const user = JSON.parse(raw) as UserRecord;
        // A member left by a record that changed without the set (see the file comment).
        if (listKey(sortTime(user, sort), user.id) !== members[index] || !matchesSearch(user, search)) continue;
        if (users.length === limit) return { users, next: cursorAfter(users.at(-1)!, sort) };
        users.push(user);
      }
      if (members.length < batch) break;
      from = `(${members.at(-1)!}`;
    }
    return { users, next: null };
  }

  async countUsers(): Promise<number> {
    return this.client.zcard(this.#listSet('created'));
  }

  async addPasskey(passkey: PasskeyRecord): Promise<boolean> {
    const added = await this.#scripts.plAddPasskey(2, this.#key('passkey', passkey.id), this.#key('user-passkeys', passkey.userId), JSON.stringify(passkey), passkey.createdAt, passkey.id);
    return added === 1;
  }

  async findPasskey(id: string): Promise<PasskeyRecord | null> {
    const raw = await this.client.get(this.#key('passkey', id));
    return raw === null ? null : (JSON.parse(raw) as PasskeyRecord);
  }

  async listPasskeys(userId: string): Promise<PasskeyRecord[]> {
    const raws = await this.#scripts.plListPasskeys(1, this.#key('user-passkeys', userId), this.#key('passkey', ''));
    return raws.map((raw) => JSON.parse(raw) as PasskeyRecord);
  }

  /** Compare-and-set, as `updateUser`: the script writes only if the passkey is still what was read. */
  updatePasskey<T>(id: string, change: Change<PasskeyRecord, T>): Promise<T> {
    const key = this.#key('passkey', id);
    return this.#queue.run(key, async () => {
      for (let attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
        const raw = await this.client.get(key);
        const current = raw === null ? null : (JSON.parse(raw) as PasskeyRecord);
        const { next, result } = change(raw === null ? null : (JSON.parse(raw) as PasskeyRecord));
        // Kept under the ID it was asked for: a change cannot move it to another.
        const stored = next ? { ...next, id } : null;
        const ownerBefore = current ? this.#key('user-passkeys', current.userId) : null;
        const ownerAfter = stored ? this.#key('user-passkeys', stored.userId) : null;
        const written = await this.#scripts.plSetPasskey(
          3,
          key,
          ownerBefore ?? ownerAfter ?? key,
          ownerAfter ?? ownerBefore ?? key,
          raw ?? '',
          stored ? JSON.stringify(stored) : '',
          id,
          stored ? stored.createdAt : 0,
        );
        if (written === 1) return result;
        await backOff(attempt);
      }
      throw new Error(`Redis store: one passkey kept changing under ${MAX_CAS_ATTEMPTS} attempts to update it`);
    });
  }

  /** One `SET … NX PXAT`: Redis refuses the second of two claims, and forgets the key at `expiresAt`. */
  async claimOnce(key: string, expiresAt: number): Promise<boolean> {
    return (await this.client.set(this.#key('claim', key), '1', 'PXAT', expiresAt, 'NX')) === 'OK';
  }

  /** Nothing to do: every key expires by itself once it no longer matters (see the file comment). */
  async sweep(): Promise<{ logins: number; sessions: number }> {
    return { logins: 0, sessions: 0 };
  }

  // --- The audit trail, daily counts and live sessions (audit-scripts.ts; key layout above) ---

  get #sessionsByExpiry(): string {
    return `${this.keyPrefix}sessions-by-expiry`;
  }

  /**
   * Adds the sessions stored before `sessions-by-expiry` existed: a SCAN of `session:*`, 1,000
   * keys a page, each page one script; skipped once the set exists (a store with no live session
   * has none, so its start scans: nothing to read). Two instances starting together add the same
   * members twice: nothing changes.
   */
  async fillSessionCount(): Promise<void> {
    if ((await this.client.exists(this.#sessionsByExpiry)) === 1) return;
    const prefix = this.#key('session', '');
    let cursor = '0';
    do {
      const [next, keys] = await this.client.scan(cursor, 'MATCH', keysStartingWith(prefix), 'COUNT', 1000);
      if (keys.length > 0) await this.#auditScripts.plFillSessionCount(1 + keys.length, this.#sessionsByExpiry, ...keys, prefix.length);
      cursor = next;
    } while (cursor !== '0');
  }

  /** One ZCOUNT of the sessions that end after `now`. */
  async countSessions(now: number): Promise<number> {
    return this.client.zcount(this.#sessionsByExpiry, `(${now}`, '+inf');
  }

  /** One script for the batch: each entry joins everyone's set and its user's. */
  async appendAudit(records: AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    const args = records.map(auditRecord).flatMap((record) => [record.at, record.userId ?? '', JSON.stringify(record)]);
    await this.#auditScripts.plAppendAudit(2, `${this.keyPrefix}audit`, `${this.keyPrefix}audit-seq`, `${this.keyPrefix}audit-user:`, this.#auditRetentionMs, this.#clock.now(), ...args);
  }

  /** One ZRANGE of everyone's set or the user's, newest first from `before`: one round trip. */
  async listAudit(query: AuditQuery): Promise<AuditRecord[]> {
    const { userId, before, limit } = checkAuditQuery(query);
    const key = userId === null ? `${this.keyPrefix}audit` : `${this.keyPrefix}audit-user:${userId}`;
    const members = await this.client.zrange(key, Number.isFinite(before) ? `(${before}` : '+inf', '-inf', 'BYSCORE', 'REV', 'LIMIT', 0, limit);
    return members.map((member) => JSON.parse(member.slice(MEMBER_PREFIX)) as AuditRecord);
  }

  /** 1,000 entries a script, then the days before `before`'s: no script holds Redis for long. */
  async sweepAudit(before: number): Promise<number> {
    let removed = 0;
    for (;;) {
      const swept = await this.#auditScripts.plSweepAudit(1, `${this.keyPrefix}audit`, `${this.keyPrefix}audit-user:`, before, 1000);
      removed += swept;
      if (swept < 1000) break;
    }
    const firstKept = dayStart(dayOf(before));
    let days: number;
    do days = await this.#auditScripts.plSweepDailyCounts(1, `${this.keyPrefix}daily-days`, `${this.keyPrefix}daily:`, firstKept);
    while (days === 1000);
    return removed;
  }

  async addDailyCounts(day: string, counts: Record<string, number>): Promise<void> {
    const added = checkCounts(day, counts);
    if (added.length === 0) return;
    const midnight = dayStart(day);
    const keepUntil = this.#auditRetentionMs > 0 ? midnight + 86_400_000 + this.#auditRetentionMs : 0;
    await this.#auditScripts.plAddDailyCounts(2, `${this.keyPrefix}daily:${day}`, `${this.keyPrefix}daily-days`, midnight, keepUntil, day, ...added.flat());
  }

  /** One HGETALL a day, sent together (auto-pipelining): one round trip for 30 days. */
  async listDailyCounts(fromDay: string, toDay: string): Promise<DailyCounts> {
    const days = daysBetween(fromDay, toDay);
    const hashes = await Promise.all(days.map((day) => this.client.hgetall(`${this.keyPrefix}daily:${day}`)));
    const result: DailyCounts = {};
    days.forEach((day, index) => {
      const hash = hashes[index]!;
      if (Object.keys(hash).length > 0) result[day] = Object.fromEntries(Object.entries(hash).map(([key, count]) => [key, Number(count)]));
    });
    return result;
  }

  async close(): Promise<void> {
    if (this.client.status === 'end') return;
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}
