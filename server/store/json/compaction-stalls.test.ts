/**
 * Compaction and the sweep never hold the event loop for long, however many records the store
 * holds: a timer due every 2 ms keeps firing while a store of 100,000 users writes its snapshot
 * (serialized at once, the snapshot of 150,000 users held the loop for 3.3 s), and what is
 * written meanwhile is acknowledged and survives a reopen.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openJsonStore, type JsonStoreHandle } from './json-store.ts';
import type { UserRecord } from '../types.ts';

const USERS = 100_000;
/** Far above the ~1 ms a piece of the snapshot or a batch of the sweep takes; far below the whole store's serialization. */
const LONGEST_GAP_MS = 100;

let dir: string;
let file: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'passwordless-stalls-'));
  file = join(dir, 'data.json');
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function user(i: number, plan: string): UserRecord {
  const email = `user-${i}@stalls.example.com`;
  const at = new Date(1_700_000_000_000 + i).toISOString();
  return { id: randomBytes(12).toString('base64url'), email, emailKey: email, emailVerified: true, createdAt: at, lastLoginAt: at, data: { plan } };
}

const put = (store: JsonStoreHandle, record: UserRecord) => store.updateUser(record.emailKey, () => ({ next: record, result: null }));

/** The longest time between two ticks of a 2 ms timer while `work` runs. */
async function longestGap(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 2);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(longest, performance.now() - last);
}

describe('a large JSON store', () => {
  it(`keeps a 2 ms timer firing within ${LONGEST_GAP_MS} ms while it sweeps and compacts ${USERS.toLocaleString('en')} users, and keeps the writes made meanwhile`, async (t) => {
    // No compaction while seeding: the sweep's compaction is the one measured.
    const store = await openJsonStore(file, { compactAfterBytes: 1_000_000_000 });
    for (let start = 0; start < USERS; start += 2_000) {
      await Promise.all(Array.from({ length: 2_000 }, (_, i) => put(store, user(start + i, 'free'))));
    }
    const changed = Array.from({ length: 200 }, (_, i) => user(i * 300, 'paid'));
    const gap = await longestGap(async () => {
      const sweep = store.sweep(Date.now(), (state) => state);
      // Writes while the snapshot is written: they go to the next journal and are acknowledged with it.
      await new Promise((resolve) => setTimeout(resolve, 5));
      await Promise.all(changed.map((record) => put(store, record)));
      await sweep;
    });
    await store.close();
    t.diagnostic(`longest gap ${gap.toFixed(1)} ms`);
    assert.ok(gap < LONGEST_GAP_MS, `the event loop was held for ${gap.toFixed(0)} ms`);

    const reopened = await openJsonStore(file);
    try {
      for (const record of changed) assert.deepEqual(await reopened.findUserByEmailKey(record.emailKey), record);
      assert.equal((await reopened.findUserByEmailKey('user-1@stalls.example.com'))?.data.plan, 'free');
      assert.equal((await reopened.snapshot()).users.length, USERS);
    } finally {
      await reopened.close();
    }
  });
});
