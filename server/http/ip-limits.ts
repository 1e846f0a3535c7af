/**
 * Per-client-IP limits on code requests and verifies, with rate-limiter-flexible: its memory
 * limiter here, and the same interface over Redis when several instances share the counters.
 * Every refusal is a 429 with `Retry-After` and `retryAfter`.
 */
import type { Redis } from 'ioredis';
import type { Middleware } from 'koa';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
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
