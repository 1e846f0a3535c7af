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
 * A login state already past its retention is deleted at once rather than written.
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
import type { Redis } from 'ioredis';
import { systemClock, type Clock } from '../../time/clock.ts';
import type { Change, LoginState, PasskeyRecord, Retention, SessionRecord, Store, UserRecord } from '../types.ts';
import { backOff, KeyQueue } from '../key-queue.ts';
import { connectRedis } from './connection.ts';
import { defineScripts, type Scripted } from './lua-scripts.ts';

export const DEFAULT_KEY_PREFIX = 'pl:';

export interface RedisStoreOptions {
  /** How long a login state and a link index entry matter: their keys' expiries (login/retention.ts). */
  retention: Retention;
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

/** Attempts of one compare-and-set before giving up (only other instances can cause a retry). */
const MAX_CAS_ATTEMPTS = 50;

export async function openRedisStore(url: string, options: RedisStoreOptions): Promise<RedisStore> {
  const client = await connectRedis(url, options.onError);
  return new RedisStoreImpl(client, options);
}

class RedisStoreImpl implements RedisStore {
  readonly client: Redis;
  readonly keyPrefix: string;
  readonly #scripts: Scripted;
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
  }

  #key(kind: 'login' | 'link' | 'user' | 'user-email' | 'session' | 'user-sessions' | 'passkey' | 'user-passkeys' | 'claim', id: string): string {
    return `${this.keyPrefix}${kind}:${id}`;
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

  async close(): Promise<void> {
    if (this.client.status === 'end') return;
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}
