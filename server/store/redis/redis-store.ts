/**
 * The Redis store, for several backend instances sharing one Redis (DESIGN.md "Store").
 *
 * Key layout (every key under `keyPrefix`, default `pl:`):
 *   login:<emailKey>       one JSON LoginState          PEXPIREAT retainUntil(state)
 *   link:<tokenHash>       the emailKey                 PEXPIREAT sequence.expiresAt + codeTtl
 *   user:<id>              one JSON UserRecord          no expiry
 *   user-email:<emailKey>  the user's id                no expiry
 *   session:<tokenHash>    one JSON SessionRecord       PEXPIREAT expiresAt
 *   user-sessions:<userId> sorted set of the user's session token hashes, scored by expiresAt
 *                                                       PEXPIREAT the latest expiresAt in it
 *   ip-request:<ip>, ip-verify:<ip>                     rate-limiter-flexible's counters (ip-limits.ts)
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
 * A login state already past `retainUntil` is deleted at once rather than written.
 * The user-sessions set cannot grow with sessions that expired: each new session first drops the
 * members scored at or before now, and the set itself expires with its last session. Creating,
 * deleting and revoking sessions are Lua scripts that change a session and the set together.
 * `findSession` answers null past `expiresAt` even before Redis has evicted the key.
 *
 * Durability: a method resolves once Redis has acknowledged its write. That is "on disk" only if
 * the Redis server is configured so (`appendonly yes` with `appendfsync always`, or replicas and
 * WAIT); with the defaults a Redis crash can lose the last second.
 *
 * Failure: every command fails (a rejected promise, so a 500 at the HTTP edge) rather than hangs:
 * at most one reconnection attempt per command, a 3 s connect timeout and a 5 s command timeout.
 * Standalone Redis (or one primary): scripts touch keys they compute, which Redis Cluster refuses.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { systemClock, type Clock } from '../../time/clock.ts';
import { retainUntil, type RetentionRules } from '../../login/login-state.ts';
import type { Change, LoginState, SessionRecord, Store, UserRecord } from '../types.ts';
import { StoreError } from '../types.ts';

export const DEFAULT_KEY_PREFIX = 'pl:';

export interface RedisStoreOptions {
  /** The login rules that decide how long a login state matters (its key's expiry). */
  retention: RetentionRules;
  keyPrefix?: string;
  /** The clock of the login rules: decides when a session is over. Default: the system clock. */
  clock?: Clock;
  /** Called with connection errors (ioredis reports them as events while it reconnects). */
  onError?: (error: Error) => void;
}

export interface RedisStore extends Store {
  /** The connection, shared with the per-IP limiters; `close()` quits it. */
  readonly client: Redis;
  readonly keyPrefix: string;
}

/** Connection settings that turn an outage into a failed command within seconds, never a hang. */
export const REDIS_CLIENT_OPTIONS: RedisOptions = {
  maxRetriesPerRequest: 1,
  connectTimeout: 3000,
  commandTimeout: 5000,
  retryStrategy: (times) => Math.min(times * 100, 2000),
  lazyConnect: true,
  // Commands issued in the same event-loop turn (by any request) leave in one write and their
  // replies come back in one read: fewer syscalls and round trips per verify. Each command and
  // each Lua script still runs alone and in order on the server, so the compare-and-set holds.
  enableAutoPipelining: true,
};

/** Attempts of one compare-and-set before giving up (only other instances can cause a retry). */
const MAX_CAS_ATTEMPTS = 50;

/** `redis://user:secret@host` → `redis://user:***@host`, for messages. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable Redis URL)';
  }
}

/** Connects and checks with PING; a Redis that cannot be reached stops the start with a StoreError. */
export async function connectRedis(url: string, onError: (error: Error) => void = () => {}): Promise<Redis> {
  const client = new Redis(url, REDIS_CLIENT_OPTIONS);
  // Without a listener ioredis prints every reconnection error; commands still reject on their own.
  client.on('error', onError);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    throw new StoreError(`Cannot reach Redis at ${redactRedisUrl(url)} (REDIS_URL): ${(error as Error).message}`);
  }
  return client;
}

// KEYS: login key, link keys to delete (ARGV[4] of them), link keys to set.
// ARGV: expected value ('' = absent), next value ('' = delete), its PEXPIREAT, count of deletes,
//       the email key (the link keys' value), then one PEXPIREAT per link key to set.
const SET_LOGIN = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '' then
  if current then return 0 end
elseif current ~= ARGV[1] then
  return 0
end
local deletes = tonumber(ARGV[4])
for i = 2, 1 + deletes do redis.call('DEL', KEYS[i]) end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], ARGV[2], 'PXAT', ARGV[3])
end
for i = 2 + deletes, #KEYS do
  redis.call('SET', KEYS[i], ARGV[5], 'PXAT', ARGV[5 + i - 1 - deletes])
end
return 1
`;

// KEYS: user-email:<emailKey>, user:<id read> (or KEYS[1] if none), user:<next id> (or KEYS[1]).
// ARGV: id read ('' = none), record read ('' = none), next record ('' = delete), next id.
const SET_USER = `
local id = redis.call('GET', KEYS[1]) or ''
if id ~= ARGV[1] then return 0 end
if id ~= '' then
  if (redis.call('GET', KEYS[2]) or '') ~= ARGV[2] then return 0 end
  redis.call('DEL', KEYS[2], KEYS[1])
end
if ARGV[3] ~= '' then
  redis.call('SET', KEYS[3], ARGV[3])
  redis.call('SET', KEYS[1], ARGV[4])
end
return 1
`;

// One round trip for a hit and for a miss alike (the answer for an unknown address must not come
// measurably sooner). KEYS[1]: user-email:<emailKey>; ARGV[1]: the user-key prefix.
const GET_USER = `
local id = redis.call('GET', KEYS[1])
if not id then return {'', ''} end
return {id, redis.call('GET', ARGV[1] .. id) or ''}
`;

// KEYS: session:<tokenHash>, user-sessions:<userId>. ARGV: the session JSON, its expiresAt, the
// token hash, now.
const CREATE_SESSION = `
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[2], last[2])
`;

// KEYS: session:<tokenHash>. ARGV: the user-sessions key prefix, the token hash. The set's key
// comes from the stored session (who owns it), read in the same atomic step.
const DELETE_SESSION = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', ARGV[1] .. cjson.decode(raw).userId, ARGV[2])
return 1
`;

// KEYS: user-sessions:<userId>. ARGV: the session key prefix. Counts the sessions that were
// still there (a member whose session already expired deletes nothing).
const DELETE_USER_SESSIONS = `
local removed = 0
for _, hash in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  removed = removed + redis.call('DEL', ARGV[1] .. hash)
end
redis.call('DEL', KEYS[1])
return removed
`;

interface Scripted {
  plSetLogin(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
  plSetUser(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
  plGetUser(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<[string, string]>;
  plCreateSession(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<null>;
  plDeleteSession(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
  plDeleteUserSessions(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
}

export async function openRedisStore(url: string, options: RedisStoreOptions): Promise<RedisStore> {
  const client = await connectRedis(url, options.onError);
  return new RedisStoreImpl(client, options);
}

class RedisStoreImpl implements RedisStore {
  readonly client: Redis;
  readonly keyPrefix: string;
  readonly #scripts: Scripted;
  readonly #retention: RetentionRules;
  readonly #clock: Clock;
  /** Per key, the tail of the changes queued in this process. */
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(client: Redis, options: RedisStoreOptions) {
    this.client = client;
    this.keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    this.#retention = options.retention;
    this.#clock = options.clock ?? systemClock;
    client.defineCommand('plSetLogin', { lua: SET_LOGIN });
    client.defineCommand('plSetUser', { lua: SET_USER });
    client.defineCommand('plGetUser', { lua: GET_USER });
    client.defineCommand('plCreateSession', { lua: CREATE_SESSION });
    client.defineCommand('plDeleteSession', { lua: DELETE_SESSION });
    client.defineCommand('plDeleteUserSessions', { lua: DELETE_USER_SESSIONS });
    this.#scripts = client as unknown as Scripted;
  }

  #key(kind: 'login' | 'link' | 'user' | 'user-email' | 'session' | 'user-sessions', id: string): string {
    return `${this.keyPrefix}${kind}:${id}`;
  }

  updateLogin<T>(emailKey: string, change: Change<LoginState, T>): Promise<T> {
    const key = this.#key('login', emailKey);
    return this.#serial(key, async () => {
      for (let attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
        const raw = await this.client.get(key);
        const before = raw === null ? null : (JSON.parse(raw) as LoginState);
        const { next, result } = change(raw === null ? null : (JSON.parse(raw) as LoginState));
        const now = this.#clock.now();
        const until = next ? retainUntil(next, this.#retention) : 0;
        const kept = next !== null && until > now;
        const links = kept
          ? next.sequences.map((s) => ({ key: this.#key('link', s.tokenHash), at: s.expiresAt + this.#retention.codeTtlMs })).filter((l) => l.at > now)
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
    return this.#serial(indexKey, async () => {
      for (let attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
        const [id, raw] = await this.#scripts.plGetUser(1, indexKey, this.#key('user', ''));
        const { next, result } = change(raw === '' ? null : (JSON.parse(raw) as UserRecord));
        const written = await this.#scripts.plSetUser(
          3,
          indexKey,
          id === '' ? indexKey : this.#key('user', id),
          next ? this.#key('user', next.id) : indexKey,
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
    await this.#scripts.plCreateSession(2, this.#key('session', tokenHash), this.#key('user-sessions', userId), JSON.stringify(session), expiresAt, tokenHash, this.#clock.now());
  }

  async findSession(tokenHash: string): Promise<SessionRecord | null> {
    const raw = await this.client.get(this.#key('session', tokenHash));
    if (raw === null) return null;
    const session = JSON.parse(raw) as SessionRecord;
    return session.expiresAt > this.#clock.now() ? session : null;
  }

  async deleteSession(tokenHash: string): Promise<boolean> {
    return (await this.#scripts.plDeleteSession(1, this.#key('session', tokenHash), this.#key('user-sessions', ''), tokenHash)) === 1;
  }

  async deleteUserSessions(userId: string): Promise<number> {
    return this.#scripts.plDeleteUserSessions(1, this.#key('user-sessions', userId), this.#key('session', ''));
  }

  /** Nothing to do: every key expires by itself once it no longer matters (see the file comment). */
  async sweep(): Promise<{ logins: number; sessions: number }> {
    return { logins: 0, sessions: 0 };
  }

  async close(): Promise<void> {
    if (this.client.status === 'end') return;
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }

  /** Runs `task` after every earlier task queued on `key` in this process has settled. */
  #serial<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(key) ?? Promise.resolve();
    const run = previous.then(task);
    const tail = run.catch(() => {});
    this.#queues.set(key, tail);
    void tail.then(() => {
      if (this.#queues.get(key) === tail) this.#queues.delete(key);
    });
    return run;
  }
}

/** A short random pause after losing a race to another instance, growing with each loss. */
function backOff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 10)));
}
