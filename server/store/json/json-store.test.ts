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

  it('reads a format 3 snapshot (before passkeys) and its journal, and writes format 4 with passkeys and claims', async () => {
    const session = { tokenHash: 'h', userId: 'u', createdAt: 1, expiresAt: 2 };
    const user = { id: 'u', email: 'a@b.co', emailKey: 'a@b.co', emailVerified: true, createdAt: '2026-01-01T00:00:00.000Z', lastLoginAt: null, data: {} };
    await writeFile(file, `{"version":3,"journal":4,"records":[\n{"op":"user","key":"a@b.co","value":${JSON.stringify(user)}}\n,{"op":"session","key":"h","value":${JSON.stringify(session)}}\n]}\n`);
    await writeFile(`${file}.journal-4.jsonl`, `{"op":"login","key":"a@b.co","value":${JSON.stringify(state('a@b.co'))}}\n`);
    const store = await openJsonStore(file);
    assert.deepEqual(await store.findSession('h'), session);
    assert.equal(await store.findLoginKeyByTokenHash('t1'), 'a@b.co');
    const passkey = { id: 'cred', userId: 'u', publicKey: 'pk', counter: 0, transports: ['internal'], backedUp: true, name: 'Phone', createdAt: 5, lastUsedAt: null };
    await store.addPasskey(passkey);
    await store.claimOnce('challenge', 100);
    await store.sweep(0, (kept) => kept);
    await store.close();
    const text = await readFile(file, 'utf8');
    assert.match(text, /^\{"version":4,"journal":5,"records":\[\n/);
    assert.match(text, /\n,\{"op":"passkey","key":"cred","value":\{"id":"cred",/);
    assert.match(text, /\n,\{"op":"claim","key":"challenge","value":100\}\n/);
    const reopened = await openJsonStore(file);
    assert.deepEqual(await reopened.listPasskeys('u'), [passkey]);
    assert.equal(await reopened.claimOnce('challenge', 100), false);
    assert.equal((await reopened.findUserById('u'))?.email, 'a@b.co');
    await reopened.close();
  });

  it('journals every passkey change and claim before it answers, and its sweep drops expired claims for good', async () => {
    const store = await openJsonStore(file);
    const passkey = { id: 'cred', userId: 'u', publicKey: 'pk', counter: 0, transports: [], backedUp: false, name: 'Key', createdAt: 5, lastUsedAt: null };
    await store.addPasskey(passkey);
    await store.updatePasskey('cred', (current) => ({ next: { ...current!, counter: 9 }, result: null }));
    await store.claimOnce('old', 1_000);
    await store.claimOnce('new', 3_000);
    let onDisk = await readStoreOnDisk(file);
    assert.deepEqual(onDisk.passkeys.cred, { ...passkey, counter: 9 });
    assert.deepEqual(onDisk.claims, { old: 1_000, new: 3_000 });
    await store.sweep(2_000, (kept) => kept);
    onDisk = await readStoreOnDisk(file);
    assert.deepEqual(onDisk.claims, { new: 3_000 }, 'only the expired claim went');
    assert.equal(await store.claimOnce('old', 4_000), true, 'its key is free again');
    assert.equal(await store.claimOnce('new', 4_000), false);
    await store.updatePasskey('cred', () => ({ next: null, result: null }));
    assert.equal((await readStoreOnDisk(file)).passkeys.cred, undefined);
    await store.close();
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
