/**
 * What two real backends sharing one store must agree on, as one suite each shared store runs
 * (`describeTwoInstances('Redis', …)`, `describeTwoInstances('PostgreSQL', …)`): what one instance
 * starts the other finishes, and the resend wait and the per-IP limits count across both. Each
 * store's own file adds what only it has (where its counters live, its outages, its wrong-code
 * concurrency).
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { getJson, postJson, tokenOf } from './api-client.ts';
import type { Harness } from './harness.ts';
import type { Store } from '../store/types.ts';

export interface InstancePair {
  a: Harness;
  b: Harness;
}

export interface TwoInstanceOptions {
  /** Starts two instances on one empty shared store, with `env` added to their settings. */
  startPair(env?: Record<string, string>): Promise<InstancePair>;
  /** Opens one more store on the pair's shared store, as an instance's backend opens it (the caller closes it). */
  openStore(): Promise<Store>;
  /** After 20 simultaneous verifies of one code: what the store itself holds (one session). */
  afterRace?(): Promise<void>;
  /** Registers the store's own tests (`it`) on the pair of the moment, beside the shared ones. */
  together?(pair: () => InstancePair): void;
  /** The same, under per-IP limits of 3 requests and 2 verifies. */
  perIp?(pair: () => InstancePair): void;
}

export function describeTwoInstances(name: string, options: TwoInstanceOptions): void {
  let pair: InstancePair | undefined;
  const current = () => pair!;
  afterEach(async () => {
    await pair?.a.close();
    await pair?.b.close();
    pair = undefined;
  });

  describe(`two instances, one ${name}`, () => {
    beforeEach(async () => {
      pair = await options.startPair();
    });

    it('verifies on one instance a code requested on the other, and the session works on both', async () => {
      const { a, b } = current();
      const { code } = await a.requestCode('ada@example.com');
      const verified = await b.verify({ email: 'ada@example.com', code });
      assert.equal(verified.status, 200, JSON.stringify(verified.body));
      const auth = { Authorization: `Bearer ${verified.body.session.token}` };
      for (const h of [a, b]) {
        const session = await getJson(h.api('/session'), auth);
        assert.equal(session.status, 200);
        assert.equal(session.body.user.email, 'ada@example.com');
      }
      assert.equal((await postJson(a.api('/logout'), {}, auth)).status, 204);
      assert.equal((await getJson(b.api('/session'), auth)).status, 401, 'a logout on one ends the session on the other');
    });

    it('completes on one instance a magic link mailed by the other', async () => {
      const { a, b } = current();
      const { link } = await b.requestCode('link@example.com');
      const verified = await a.verify({ token: tokenOf(link) });
      assert.equal(verified.status, 200, JSON.stringify(verified.body));
      assert.equal(verified.body.user.email, 'link@example.com');
      assert.equal((await b.verify({ token: tokenOf(link) })).status, 401, 'and only once');
    });

    it('signs in exactly once under 20 simultaneous verifies of one code spread over both', async () => {
      const { a, b } = current();
      const { code } = await a.requestCode('race@example.com');
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).verify({ email: 'race@example.com', code })));
      assert.deepEqual(
        answers.map((r) => r.status).sort(),
        [200, ...Array(19).fill(401)],
        JSON.stringify(answers.map((r) => r.body)),
      );
      await options.afterRace?.();
    });

    it('spends a challenge once: of 20 simultaneous claims of one key over two instances’ stores, exactly one gets true', async () => {
      const stores = [await options.openStore(), await options.openStore()];
      try {
        const until = Date.now() + 600_000;
        const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => stores[i % 2]!.claimOnce('passkey-challenge:race', until)));
        assert.equal(answers.filter(Boolean).length, 1, JSON.stringify(answers));
        assert.deepEqual(await Promise.all(stores.map((s) => s.claimOnce('passkey-challenge:race', until))), [false, false], 'and stays spent for both');
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });

    options.together?.(current);

    it('holds the resend wait across both instances', async () => {
      const { a, b } = current();
      await a.requestCode('resend@example.com');
      const again = await b.request({ email: 'resend@example.com' });
      assert.equal(again.status, 429);
      assert.ok(again.body.error.retryAfter > 0);
    });
  });

  describe(`two instances, one ${name}: per-IP limits`, () => {
    beforeEach(async () => {
      pair = await options.startPair({ REQUESTS_PER_IP: '3', VERIFIES_PER_IP: '2' });
    });

    it('counts code requests from one IP across both instances', async () => {
      const { a, b } = current();
      const statuses = [];
      for (const [h, i] of [[a, 1], [b, 2], [a, 3], [b, 4], [a, 5]] as const) statuses.push((await h.request({ email: `ip${i}@example.com` })).status);
      assert.deepEqual(statuses, [202, 202, 202, 429, 429]);
    });

    options.perIp?.(current);
  });
}
