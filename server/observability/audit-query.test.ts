/**
 * `readAudit` (audit-query.ts) over a real JSON store on temporary files: the console's user page
 * and a user's export read more entries than a store's page of 200, and entries of one
 * millisecond must not fall between two pages.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { openJsonStore, type JsonStoreHandle } from '../store/json/json-store.ts';
import type { AuditRecord } from '../store/types.ts';
import { readAudit } from './audit-query.ts';

const T = Date.UTC(2026, 11, 8, 12);

/** `count` entries of `userId` at `at`, each told apart by its `action`, appended in the order given. */
function entries(userId: string, at: number, count: number, tag: string): AuditRecord[] {
  return Array.from({ length: count }, (_, i) => ({ at, event: 'admin_action', userId, action: `${tag}-${i}`, by: 'cli' }));
}

/** What every read must give: newest first, and of one millisecond the later appended first (the audit contract). */
function newestFirst(records: AuditRecord[]): string[] {
  return records
    .map((record, index) => ({ record, index }))
    .sort((a, b) => b.record.at - a.record.at || b.index - a.index)
    .map(({ record }) => record.action!);
}

describe('readAudit: a user’s entries past one page', () => {
  let dir: string;
  let store: JsonStoreHandle;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'audit-query-'));
    store = await openJsonStore(join(dir, 'data.json'));
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps both entries of a millisecond that a page of 200 ends between', async () => {
    // 199 newer entries, one a millisecond, then a first sign-in's pair at one `now`, then one older:
    // the first page ends with the first of the pair.
    const records = [...entries('user-a', T - 1000, 1, 'oldest'), ...entries('user-a', T, 2, 'pair')];
    for (let i = 1; i <= 199; i++) records.push(...entries('user-a', T + i, 1, `newer-${i}`));
    await store.appendAudit(records);
    const read = await readAudit(store, 'user-a', Number.MAX_SAFE_INTEGER);
    assert.equal(read.length, 202);
    assert.deepEqual(read.map((entry) => entry.action), newestFirst(records));
  });

  it('reads a millisecond that spans two pages whole, in order, and stops at the limit asked', async () => {
    const records = [...entries('user-a', T - 2, 50, 'older'), ...entries('user-a', T - 1, 150, 'same'), ...entries('user-a', T, 150, 'newer')];
    records.push(...entries('user-b', T - 1, 30, 'other user'));
    await store.appendAudit(records);
    const ofA = newestFirst(records.filter((record) => record.userId === 'user-a'));
    assert.deepEqual((await readAudit(store, 'user-a', 1000)).map((entry) => entry.action), ofA);
    assert.deepEqual((await readAudit(store, 'user-a', 201)).map((entry) => entry.action), ofA.slice(0, 201));
    assert.deepEqual((await readAudit(store, 'user-a', 7)).map((entry) => entry.action), ofA.slice(0, 7));
    assert.deepEqual(await readAudit(store, 'nobody', 1000), []);
  });

  it('steps past a millisecond of more than 200 entries rather than reading it for ever', async () => {
    const records = [...entries('user-a', T - 1, 3, 'older'), ...entries('user-a', T, 250, 'crowded')];
    await store.appendAudit(records);
    const read = (await readAudit(store, 'user-a', 1000)).map((entry) => entry.action);
    assert.deepEqual(read.slice(0, 200), newestFirst(records).slice(0, 200));
    assert.deepEqual(read.slice(200), ['older-2', 'older-1', 'older-0']);
  });
});
