/**
 * `npm run bench:access-tokens`: how fast access tokens are signed (the login service, per
 * `POST /auth/token`) and verified (a host backend, per request, against the key set it holds).
 * Prints rates and their ratio within one run; no thresholds, figures only.
 */
import { createLocalJWKSet, jwtVerify } from 'jose';
import { AccessTokens } from '../server/access/access-tokens.ts';
import { systemClock } from '../server/time/clock.ts';

const N = Number(process.env.N ?? 5000);
const tokens = new AccessTokens({ secret: 'b'.repeat(40), clock: systemClock, issuer: 'https://login.example', audience: 'https://api.example', ttlSeconds: 300, rotationSeconds: 604_800 });
const user = { id: 'user-1', email: 'ana@example.com', emailVerified: true };
const keySet = createLocalJWKSet(tokens.jwks());

async function rate(label: string, run: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i++) await run(i); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await run(i);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const perSecond = N / seconds;
  console.log(`${label.padEnd(34)} ${perSecond.toFixed(0).padStart(7)} /s   ${((seconds / N) * 1e6).toFixed(0).padStart(5)} µs each`);
  return perSecond;
}

const issued: string[] = [];
const sign = await rate('sign (issue, jose ES256)', async () => issued.push((await tokens.issue(user)).accessToken));
const verify = await rate('verify (host, local JWK set)', (i) => jwtVerify(issued[i % issued.length]!, keySet, { issuer: 'https://login.example', audience: 'https://api.example', typ: 'at+jwt', algorithms: ['ES256'] }));
console.log(`verify / sign: ${(verify / sign).toFixed(2)}; token size ${issued[0]!.length} B`);
