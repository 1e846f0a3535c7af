/**
 * Atomic across instances, the same in every store that more than one process opens at once
 * (Redis and PostgreSQL; the JSON file takes a lock, so one process has it): each test opens the
 * store a second time, with its own connection or pool as a second instance has, and races
 * changes to one address through both. Every count is read back through the store, so the same
 * tests hold for any such store; its own test file adds what its raw storage must show.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../store/types.ts';
import { loginState, sequence, useFirstSequence, userRecord } from './store-contract.ts';

export interface TwoInstancesOfStore {
  first: Store;
  /** The same data through a connection (a pool) of its own. */
  second: Store;
  /** The clock's now, for the records the tests write. */
  now: number;
}

export function describeAtomicAcrossInstances(name: string, openTwo: () => Promise<TwoInstancesOfStore>): void {
  describe(`${name} store: atomic across instances`, () => {
    it('loses none of 200 concurrent changes to one address made through two connections', async () => {
      const { first, second, now } = await openTwo();
      const bump = (store: Store) =>
        store.updateLogin('race@example.com', (current) => {
          const next = current ?? loginState('race@example.com', now);
          next.attempts += 1;
          return { next, result: null };
        });
      await Promise.all(Array.from({ length: 200 }, (_, i) => bump(i % 2 ? first : second)));
      assert.equal(await first.updateLogin('race@example.com', (current) => ({ next: current, result: current?.attempts })), 200);
    });

    it('lets exactly one of 20 concurrent consumers on two connections use a sequence', async () => {
      const { first, second, now } = await openTwo();
      await first.updateLogin('once@example.com', () => ({ next: loginState('once@example.com', now, [sequence('s1', 't1', now)]), result: null }));
      const wins = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? first : second).updateLogin('once@example.com', useFirstSequence(now)),
        ),
      );
      assert.equal(wins.filter(Boolean).length, 1);
    });

    it('creates one user when 50 first sign-ins of one address race on two connections, and loses none of 100 changes', async () => {
      const { first, second } = await openTwo();
      const ids = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          (i % 2 ? first : second).updateUser('u@example.com', (current) => {
            if (current) return { next: current, result: current.id };
            return { next: { ...userRecord('u@example.com', `id-${i}`), data: { n: 0 } }, result: `id-${i}` };
          }),
        ),
      );
      assert.equal(new Set(ids).size, 1);
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          (i % 2 ? first : second).updateUser('u@example.com', (current) => ({ next: { ...current!, data: { n: (current!.data.n as number) + 1 } }, result: null })),
        ),
      );
      assert.equal((await second.findUserById(ids[0]!))!.data.n, 100);
      assert.equal(await first.countUsers(), 1);
    });
  });
}
