/**
 * Per-client-IP limits on code requests and verifies, with rate-limiter-flexible: its memory
 * limiter here, and the same interface over Redis or PostgreSQL when several instances share the
 * counters.
 * Every refusal is a 429 with `Retry-After` and `retryAfter`.
 */
import type { Redis } from 'ioredis';
import type { Middleware } from 'koa';
import type pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ApiError } from '../../contract/index.ts';
import { rateLimited } from '../login/login-error.ts';
import { clientKey } from './client-ip.ts';

export interface IpLimiters {
  requests: RateLimiterAbstract;
  verifies: RateLimiterAbstract;
}

export function memoryIpLimiters({ requests, verifies, windowSeconds }: { requests: number; verifies: number; windowSeconds: number }): IpLimiters {
  return {
    requests: new RateLimiterMemory({ keyPrefix: 'ip-request', points: requests, duration: windowSeconds }),
    verifies: new RateLimiterMemory({ keyPrefix: 'ip-verify', points: verifies, duration: windowSeconds }),
  };
}

/**
 * The same limits with the counters in Redis, so they hold across every instance sharing it.
 * Keys: `<keyPrefix>ip-request:<ip>` and `<keyPrefix>ip-verify:<ip>`, expiring with their window.
 * When Redis is unreachable the limiter rejects at once with an Error (a 500), never lets through.
 */
export function redisIpLimiters(
  client: Redis,
  { requests, verifies, windowSeconds }: { requests: number; verifies: number; windowSeconds: number },
  keyPrefix = 'pl:',
): IpLimiters {
  const common = { storeClient: client, duration: windowSeconds, rejectIfRedisNotReady: true };
  return {
    requests: new RateLimiterRedis({ ...common, keyPrefix: `${keyPrefix}ip-request`, points: requests }),
    verifies: new RateLimiterRedis({ ...common, keyPrefix: `${keyPrefix}ip-verify`, points: verifies }),
  };
}

/**
 * The same limits with the counters in PostgreSQL, in the store's schema: one table,
 * `rate_limits` (created by the store's migrations, so no limiter creates it at start), with
 * keys `ip-request:<ip>` and `ip-verify:<ip>`. One table for both: the limiter names its prepared
 * statements by what they do, not by table, so two tables on one pool would clash. When the
 * database is unreachable the limiter rejects with an Error (a 500), never lets through.
 */
export function postgresIpLimiters(pool: pg.Pool, schema: string, { requests, verifies, windowSeconds }: { requests: number; verifies: number; windowSeconds: number }): IpLimiters {
  const common = { storeClient: pool, storeType: 'pool', schemaName: schema, tableName: 'rate_limits', tableCreated: true, duration: windowSeconds };
  return {
    requests: new RateLimiterPostgres({ ...common, keyPrefix: 'ip-request', points: requests }),
    verifies: new RateLimiterPostgres({ ...common, keyPrefix: 'ip-verify', points: verifies }),
  };
}

/** Takes one point from `limiter` for the client's IP, or answers 429. */
export function limitByIp(limiter: RateLimiterAbstract): Middleware {
  return async (ctx, next) => {
    try {
      await limiter.consume(clientKey(ctx));
    } catch (refusal) {
      // The limiter rejects with a RateLimiterRes when over the limit, and with an Error when its
      // store fails: a limiter outage must not become a way around the limit, so that is a 500.
      if (refusal instanceof RateLimiterRes) throw rateLimited(refusal.msBeforeNext / 1000, ApiError.rateLimitedNetwork);
      throw refusal;
    }
    await next();
  };
}
