/** The JSON store's journal, compaction, recovery and lock, on real files. */
import assert from 'node:assert/strict';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { openJsonStore } from './json-store.ts';
import { StoreError, type LoginState, type Store } from '../types.ts';

let dir: string;
let file: string;
const open: Store[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'json-durable-'));
  file = join(dir, 'data.json');
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.close().catch(() => {})));
  await rm(dir, { recursive: true, force: true });
});
async function openStore(options = {}) {
  const store = await openJsonStore(file, options);
  open.push(store);
  return store;
}
async function closeStore(store: Store) {
  open.splice(open.indexOf(store), 1);
  await store.close();
}
const state = (emailKey: string, attempts: number): LoginState => ({
  emailKey,
  address: emailKey,
  attempts,
  lastRequestAt: 1,
  requestTimes: [],
  lastFailureAt: null,
  sequences: [{ id: `s-${emailKey}`, codeHash: 'c', tokenHash: `t-${emailKey}`, createdAt: 1, expiresAt: 2, usedAt: null, burntAt: null, locale: 'en', userData: {} }],
});
const put = (store: Store, key: string, attempts: number) => store.updateLogin(key, () => ({ next: state(key, attempts), result: null }));
const journals = async () => (await readdir(dir)).filter((name) => name.includes('.journal-'));

describe('JSON store durability', () => {
  it('keeps every change across many compactions, and leaves one journal behind', async () => {
    const store = await openStore({ compactAfterBytes: 2_000 });
    for (let round = 0; round < 5; round++) {
      await Promise.all(Array.from({ length: 40 }, (_, i) => put(store, `user${i}@example.com`, round)));
    }
    await closeStore(store);
    assert.equal((await journals()).length, 1);
    const generation = JSON.parse(await readFile(file, 'utf8')).journal;
    assert.ok(generation >= 2, `compacted at least twice (generation ${generation})`);
    const reopened = await openStore();
    for (let i = 0; i < 40; i++) {
      const attempts = await reopened.updateLogin(`user${i}@example.com`, (current) => ({ next: current, result: current?.attempts }));
      assert.equal(attempts, 4);
    }
    assert.equal(await reopened.findLoginKeyByTokenHash('t-user7@example.com'), 'user7@example.com');
  });

  it('fails, never acknowledges, the writes a failed compaction held, and keeps working', async () => {
    // A directory where the snapshot's temporary file must go: every snapshot write now fails.
    await openStore().then(closeStore);
    await mkdir(join(dir, '.data.json.tmp'));
    const store = await openStore({ compactAfterBytes: 1_024 });
    // One after another, so writes arrive while a compaction (started by an earlier one) runs.
    const outcomes: PromiseSettledResult<unknown>[] = [];
    for (let i = 0; i < 30; i++) outcomes.push(await put(store, `user${i}@example.com`, 1).then((value) => ({ status: 'fulfilled' as const, value }), (reason: unknown) => ({ status: 'rejected' as const, reason })));
    const acknowledged = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i] : []));
    const refused = outcomes.filter((o) => o.status === 'rejected');
    assert.ok(refused.length > 0, 'some writes were held by the failed compaction and refused');
    assert.ok(refused.every((o) => o.status === 'rejected' && o.reason instanceof StoreError && /Cannot write the snapshot/.test(o.reason.message)));
    await rm(join(dir, '.data.json.tmp'), { recursive: true });
    await put(store, 'after@example.com', 1);
    await closeStore(store);
    const reopened = await openStore();
    for (const i of acknowledged) assert.equal(await reopened.findLoginKeyByTokenHash(`t-user${i}@example.com`), `user${i}@example.com`, `acknowledged write ${i} survived`);
    assert.equal(await reopened.findLoginKeyByTokenHash('t-after@example.com'), 'after@example.com');
  });

  it('cuts a torn last journal line (a write the crash interrupted) and says so', async () => {
    const store = await openStore();
    await put(store, 'a@example.com', 1);
    await closeStore(store);
    const [journal] = await journals();
    await appendFile(join(dir, journal!), '{"op":"login","key":"b@exam');
    const warnings: string[] = [];
    const reopened = await openStore({ onWarning: (message: string) => warnings.push(message) });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /interrupted/);
    assert.equal(await reopened.findLoginKeyByTokenHash('t-a@example.com'), 'a@example.com');
    assert.ok((await readFile(join(dir, journal!), 'utf8')).endsWith('}\n'));
  });

  it('cuts a torn last line at its last newline byte, even when it broke inside a multi-byte character', async () => {
    const store = await openStore();
    await put(store, 'a@example.com', 1);
    await closeStore(store);
    const [journal] = await journals();
    // "é" is 0xC3 0xA9: the crash kept only its first byte.
    await appendFile(join(dir, journal!), Buffer.concat([Buffer.from('{"op":"login","key":"'), Buffer.from([0xc3])]));
    await closeStore(await openStore({ onWarning: () => {} }));
    const text = await readFile(join(dir, journal!), 'utf8');
    assert.ok(text.endsWith('}\n'), 'the acknowledged line before it is whole');
    const again = await openStore();
    assert.equal(await again.findLoginKeyByTokenHash('t-a@example.com'), 'a@example.com', 'and it survives the next restart too');
  });

  it('acknowledges nothing a full disk cut short, and leaves no fragment behind', async () => {
    // A child whose file-size limit (ulimit -f, SIGXFSZ ignored so the write fails with EFBIG)
    // stops the journal in the middle of a batch of 20 sessions.
    const script = fileURLToPath(new URL('../../testing/write-sessions.ts', import.meta.url));
    const run = (count: number, limitBlocks: number) =>
      execFileSync('bash', ['-c', `trap '' XFSZ; ulimit -f ${limitBlocks}; exec "${process.execPath}" --import tsx "${script}" "${file}" ${count}`], {
        encoding: 'utf8',
        // The limit applies to every file the child writes: tsx's transpile cache must stay off,
        // or a cold cache (a fresh clone) fails on its own files before the journal is reached.
        env: { ...process.env, TSX_DISABLE_CACHE: '1' },
      });
    const acknowledged: string[] = JSON.parse(run(20, 2));
    const store = await openStore();
    for (const hash of acknowledged) assert.ok(await store.findSession(hash), `acknowledged session ${hash.slice(0, 12)} survived`);
    await store.createSession({ tokenHash: 'after', userId: 'u', createdAt: 1, expiresAt: 9e15 });
    await closeStore(store);
    const reopened = await openStore();
    assert.ok(await reopened.findSession('after'), 'the journal takes writes again and reopens: no fragment in the middle');
  });

  it('refuses a journal damaged before its last line, naming it, and leaves it untouched', async () => {
    const store = await openStore();
    await put(store, 'a@example.com', 1);
    await put(store, 'b@example.com', 1);
    await closeStore(store);
    const [journal] = await journals();
    const path = join(dir, journal!);
    const damaged = (await readFile(path, 'utf8')).replace('"op":"login"', '"op":');
    await writeFile(path, damaged);
    await assert.rejects(openJsonStore(file), (error: Error) => error instanceof StoreError && error.message.includes(path) && /line 1/.test(error.message));
    assert.equal(await readFile(path, 'utf8'), damaged);
  });

  it('refuses a second opening of the same file while the first holds it', async () => {
    await openStore();
    await assert.rejects(openJsonStore(file), (error: Error) => error instanceof StoreError && /in use by another process/.test(error.message));
  });

  it('takes over a lock left by a process that is gone', async () => {
    await writeFile(`${file}.lock`, '999999999\n');
    const store = await openStore();
    await put(store, 'a@example.com', 1);
    assert.equal(await readFile(`${file}.lock`, 'utf8'), `${process.pid}\n`);
  });

  it('removes the lock when closed, so the next process opens at once', async () => {
    await closeStore(await openStore());
    assert.ok(!(await readdir(dir)).includes('data.json.lock'));
  });

  it('reads a store written before journals existed (version 1)', async () => {
    const v1 = { version: 1, users: {}, userIdsByEmailKey: {}, logins: { 'a@example.com': state('a@example.com', 2) }, linkTokens: { 't-a@example.com': 'a@example.com' }, sessions: {} };
    await writeFile(file, JSON.stringify(v1));
    const store = await openStore();
    assert.equal(await store.findLoginKeyByTokenHash('t-a@example.com'), 'a@example.com');
  });
});
