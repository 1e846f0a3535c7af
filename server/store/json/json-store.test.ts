/** The JSON file store, on real files in a temporary directory. */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { readStoreOnDisk } from '../../testing/store-on-disk.ts';
import { openJsonStore } from './json-store.ts';
import { StoreError, type LoginState } from '../types.ts';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'json-store-'));
  file = join(dir, 'data.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const state = (emailKey: string, tokenHash = 't1'): LoginState => ({
  emailKey,
  address: emailKey,
  attempts: 0,
  lastRequestAt: 1,
  requestTimes: [1],
  lastFailureAt: null,
  sequences: [{ id: 's1', codeHash: 'c', tokenHash, createdAt: 1, expiresAt: 2, usedAt: null, burntAt: null, locale: 'en', userData: {} }],
});

describe('JSON store', () => {
  it('has every acknowledged write in the file when the call resolves', async () => {
    const store = await openJsonStore(file);
    await store.updateLogin('a@b.co', () => ({ next: state('a@b.co'), result: null }));
    const onDisk = await readStoreOnDisk(file);
    assert.equal(onDisk.logins['a@b.co'].sequences[0].id, 's1');
    assert.equal(onDisk.linkTokens.t1, 'a@b.co');
  });

  it('reopens what it wrote', async () => {
    const store = await openJsonStore(file);
    await store.updateLogin('a@b.co', () => ({ next: state('a@b.co'), result: null }));
    await store.createSession({ tokenHash: 'h', userId: 'u', createdAt: 1, expiresAt: 2 });
    await store.close();
    const reopened = await openJsonStore(file);
    assert.equal(await reopened.findLoginKeyByTokenHash('t1'), 'a@b.co');
    assert.deepEqual(await reopened.findSession('h'), { tokenHash: 'h', userId: 'u', createdAt: 1, expiresAt: 2 });
  });

  it('loses none of 200 concurrent changes to one record', async () => {
    const store = await openJsonStore(file);
    await Promise.all(
      Array.from({ length: 200 }, () =>
        store.updateLogin('a@b.co', (current) => {
          const next = current ?? state('a@b.co');
          next.attempts += 1;
          return { next, result: null };
        }),
      ),
    );
    assert.equal((await readStoreOnDisk(file)).logins['a@b.co'].attempts, 200);
  });

  it('drops the link index entry with its sequence', async () => {
    const store = await openJsonStore(file);
    await store.updateLogin('a@b.co', () => ({ next: state('a@b.co'), result: null }));
    await store.updateLogin('a@b.co', (current) => ({ next: { ...current!, sequences: [] }, result: null }));
    assert.equal(await store.findLoginKeyByTokenHash('t1'), null);
  });

  it('does not mistake inherited names for records', async () => {
    const store = await openJsonStore(file);
    assert.equal(await store.findLoginKeyByTokenHash('__proto__'), null);
    assert.equal(await store.findUserByEmailKey('constructor'), null);
    assert.equal(await store.findSession('toString'), null);
  });

  for (const [name, content] of [
    ['not JSON', '{"version": 1, "users": {'],
    ['empty', ''],
    ['another program’s JSON', '{"todos": []}'],
    ['a newer format', '{"version": 2}'],
  ] as const) {
    it(`refuses to start on a file that is ${name}, naming it, and leaves it untouched`, async () => {
      await writeFile(file, content);
      await assert.rejects(openJsonStore(file), (error: Error) => error instanceof StoreError && error.message.includes(file));
      assert.equal(await readFile(file, 'utf8'), content);
    });
  }
});
