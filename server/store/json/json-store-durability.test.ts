/** The JSON store's journal, compaction, recovery and lock, on real files. */
import assert from 'node:assert/strict';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { openJsonStore } from './json-store.ts';
import { Journal } from './journal.ts';
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
    // Ten rounds: a compaction no longer holds the writes made while it runs, so rounds can
    // outpace it (five rounds once made only one).
    for (let round = 0; round < 10; round++) {
      await Promise.all(Array.from({ length: 40 }, (_, i) => put(store, `user${i}@example.com`, round)));
    }
    await closeStore(store);
    assert.equal((await journals()).length, 1);
    const generation = JSON.parse(await readFile(file, 'utf8')).journal;
    assert.ok(generation >= 2, `compacted at least twice (generation ${generation})`);
    const reopened = await openStore();
    for (let i = 0; i < 40; i++) {
      const attempts = await reopened.updateLogin(`user${i}@example.com`, (current) => ({ next: current, result: current?.attempts }));
      assert.equal(attempts, 9);
    }
    assert.equal(await reopened.findLoginKeyByTokenHash('t-user7@example.com'), 'user7@example.com');
  });

  it('refuses no write while its compactions fail, keeps every one across a restart, and cleans up once a snapshot lands', async () => {
    // A directory where the snapshot's temporary file must go: every snapshot write now fails.
    await openStore().then(closeStore);
    await mkdir(join(dir, '.data.json.tmp'));
    const store = await openStore({ compactAfterBytes: 1_024 });
    // One after another, so writes arrive while a compaction (started by an earlier one) runs and fails.
    for (let i = 0; i < 30; i++) await put(store, `user${i}@example.com`, 1);
    assert.ok((await journals()).length > 1, 'the journals a failed snapshot would have replaced are kept');
    assert.equal(JSON.parse(await readFile(file, 'utf8')).journal, 0, 'no snapshot was written');
    await rm(join(dir, '.data.json.tmp'), { recursive: true });
    await put(store, 'after@example.com', 1);
    await closeStore(store);
    const reopened = await openStore();
    for (let i = 0; i < 30; i++) assert.equal(await reopened.findLoginKeyByTokenHash(`t-user${i}@example.com`), `user${i}@example.com`, `write ${i} survived`);
    assert.equal(await reopened.findLoginKeyByTokenHash('t-after@example.com'), 'after@example.com');
    assert.deepEqual(await journals(), [`data.json.journal-${JSON.parse(await readFile(file, 'utf8')).journal}.jsonl`], 'one journal left, the one the snapshot names');
  });

  it('replays the journal a compaction had started when the process died, after the one its snapshot names', async () => {
    const store = await openStore();
    await put(store, 'a@example.com', 1);
    await put(store, 'b@example.com', 1);
    await closeStore(store);
    const generation = JSON.parse(await readFile(file, 'utf8')).journal;
    // What a crash mid-compaction leaves: the old snapshot, its journal, and the next journal
    // with writes already acknowledged (a's second change, c), but no snapshot naming it.
    await writeFile(join(dir, `data.json.journal-${generation + 1}.jsonl`), `${JSON.stringify({ op: 'login', key: 'a@example.com', value: state('a@example.com', 2) })}\n${JSON.stringify({ op: 'login', key: 'c@example.com', value: state('c@example.com', 1) })}\n`);
    const reopened = await openStore();
    const attemptsOf = (key: string) => reopened.updateLogin(key, (current) => ({ next: current, result: current?.attempts }));
    assert.deepEqual([await attemptsOf('a@example.com'), await attemptsOf('b@example.com'), await attemptsOf('c@example.com')], [2, 1, 1]);
    assert.equal(JSON.parse(await readFile(file, 'utf8')).journal, generation + 1, 'a snapshot naming the newer journal was written at start');
    assert.deepEqual(await journals(), [`data.json.journal-${generation + 1}.jsonl`]);
  });

  it('acknowledges no line of a compaction\'s next journal before the previous journal is on disk, though it writes it at once', async () => {
    let previousOnDisk!: () => void;
    const path = join(dir, 'data.json.journal-9.jsonl');
    const next = await Journal.open(path, { previousOnDisk: new Promise<void>((resolve) => (previousOnDisk = resolve)) });
    let acknowledged = false;
    const written = next.append({ op: 'revoke', key: 'u', value: [] }).then(() => (acknowledged = true));
    while ((await readFile(path, 'utf8')) === '') await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(acknowledged, false, 'on disk, not yet acknowledged');
    previousOnDisk();
    await written;
    assert.equal(acknowledged, true);
    await next.close();
    await assert.rejects(Journal.open(path, { previousOnDisk: Promise.resolve() }), { code: 'EEXIST' }, 'a next journal never overwrites one on disk');
  });

  it('replays no journal left beside a data file that is gone, and removes it', async () => {
    await writeFile(join(dir, 'data.json.journal-3.jsonl'), `${JSON.stringify({ op: 'login', key: 'old@example.com', value: state('old@example.com', 1) })}\n`);
    const store = await openStore();
    assert.equal(await store.findLoginKeyByTokenHash('t-old@example.com'), null);
    assert.deepEqual(await journals(), ['data.json.journal-0.jsonl']);
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
