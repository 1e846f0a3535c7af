/**
 * The JSON store's `erase` journal line (Store.deleteUser): replayed from a journal written by
 * hand, as a restart after a crash before the compaction would replay it; applied twice it
 * changes nothing; a torn one (the crash came while writing it) is cut off and erases nothing; a
 * damaged one stops the start; a snapshot never holds one.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { loginState, passkeyRecord, sequence, userRecord } from '../../testing/store-contract.ts';
import { openJsonStore } from './json-store.ts';
import { StoreError } from '../types.ts';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'json-erase-'));
  file = join(dir, 'data.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const line = (op: string, key: string, value: unknown) => `${JSON.stringify({ op, key, value })}\n`;
const ann = userRecord('ann@example.com', 'user-ann');
const bob = userRecord('bob@example.com', 'user-bob');

/** Ann with a login state, two sessions and a passkey; Bob with a session. */
const history = [
  line('user', ann.emailKey, ann),
  line('user', bob.emailKey, bob),
  line('login', ann.emailKey, loginState(ann.emailKey, 1, [sequence('s1', 'ann-link', 1)])),
  line('session', 'ann-1', { tokenHash: 'ann-1', userId: ann.id, createdAt: 1, expiresAt: 9e15 }),
  line('session', 'ann-2', { tokenHash: 'ann-2', userId: ann.id, createdAt: 1, expiresAt: 9e15 }),
  line('session', 'bob-1', { tokenHash: 'bob-1', userId: bob.id, createdAt: 1, expiresAt: 9e15 }),
  line('passkey', 'ann-cred', passkeyRecord('ann-cred', ann.id, 1)),
].join('');
const erase = line('erase', ann.id, { sessions: ['ann-1', 'ann-2'], passkeys: ['ann-cred'] });

describe('JSON store: the erase line', () => {
  it('replays an erasure from the journal, twice over, and a sign-up of the address after it', async () => {
    const again = { ...ann, id: 'user-ann-new' };
    await writeFile(`${file}.journal-0.jsonl`, history + erase + erase + line('user', ann.emailKey, again));
    const store = await openJsonStore(file);
    try {
      assert.deepEqual(await store.findUserByEmailKey(ann.emailKey), again);
      assert.equal(await store.findUserById(ann.id), null);
      assert.deepEqual([await store.findSession('ann-1'), await store.findSession('ann-2')], [null, null]);
      assert.equal(await store.findPasskey('ann-cred'), null);
      assert.equal(await store.findLoginKeyByTokenHash('ann-link'), null);
      assert.equal(await store.updateLogin(ann.emailKey, (current) => ({ next: current, result: current })), null);
      assert.equal((await store.findSession('bob-1'))?.userId, bob.id);
      assert.equal(await store.countUsers(), 2);
    } finally {
      await store.close();
    }
  });

  it('erases nothing when the crash tore the erase line: the whole user is still there, and the line is cut off', async () => {
    await writeFile(`${file}.journal-0.jsonl`, history + erase.slice(0, -10));
    const warnings: string[] = [];
    const store = await openJsonStore(file, { onWarning: (message) => warnings.push(message) });
    try {
      assert.deepEqual(await store.findUserById(ann.id), ann);
      assert.equal((await store.findSession('ann-2'))?.userId, ann.id);
      assert.equal((await store.findPasskey('ann-cred'))?.userId, ann.id);
      assert.equal(await store.findLoginKeyByTokenHash('ann-link'), ann.emailKey);
      assert.equal(warnings.length, 1);
      assert.deepEqual(await store.deleteUser(ann.id), { sessions: 2, passkeys: 1 }, 'and it can be erased again');
    } finally {
      await store.close();
    }
  });

  it('writes one erase line with no address in it, then a snapshot without the user and an empty journal', async () => {
    await writeFile(`${file}.journal-0.jsonl`, history);
    const store = await openJsonStore(file);
    try {
      assert.deepEqual(await store.deleteUser(ann.id), { sessions: 2, passkeys: 1 });
      const snapshot = await readFile(file, 'utf8');
      assert.match(snapshot, /"journal":1,/);
      assert.ok(!snapshot.includes('ann') && snapshot.includes('bob@example.com'));
      assert.equal(await readFile(`${file}.journal-1.jsonl`, 'utf8'), '');
      await assert.rejects(readFile(`${file}.journal-0.jsonl`), { code: 'ENOENT' });
    } finally {
      await store.close();
    }
  });

  it('stops the start on a damaged erase line, naming the journal and the line', async () => {
    await writeFile(`${file}.journal-0.jsonl`, history + line('erase', ann.id, ['ann-1']) + line('user', bob.emailKey, bob));
    await assert.rejects(openJsonStore(file), (error: Error) => error instanceof StoreError && /journal-0\.jsonl is damaged \(line 8 is not a journal entry\)/.test(error.message));
  });

  it('refuses a snapshot that holds an erase line: a snapshot holds records only', async () => {
    await writeFile(file, `{"version":4,"journal":0,"records":[\n${line('user', bob.emailKey, bob)},${erase}]}\n`);
    await assert.rejects(openJsonStore(file), (error: Error) => error instanceof StoreError && /line 3 is not a record/.test(error.message));
  });
});
