/**
 * When the data file's directory cannot be synced: a real failure, not a stand-in. The directory
 * is made writable but not readable (mode 0300), so files can be created and renamed in it, but
 * the directory itself cannot be opened to fsync (EACCES), as a failing disk would refuse it. The
 * code runs as an unprivileged user (testing/unprivileged.ts): root syncs any directory.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runUnprivileged, unprivilegedDir } from '../../testing/unprivileged.ts';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const DURABLE_FILE = source('./durable-file.ts');
const JSON_STORE = source('./json-store.ts');
const STORE_CONTRACT = source('../../testing/store-contract.ts');

const dirs: string[] = [];
after(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});
async function freshDir(): Promise<string> {
  const dir = await unprivilegedDir('dir-sync-');
  dirs.push(dir);
  return dir;
}

describe('a directory that cannot be synced', () => {
  it('reports a file replaced but not synced, with the new text in place and no temporary file left', async () => {
    const dir = await freshDir();
    const result = JSON.parse(
      await runUnprivileged(`
        import { chmod, readdir, readFile, writeFile } from 'node:fs/promises';
        import { writeFileDurably } from ${JSON.stringify(DURABLE_FILE)};
        const dir = ${JSON.stringify(dir)};
        await writeFile(dir + '/data.json', 'old');
        await writeFileDurably(dir + '/data.json', 'readable');
        await chmod(dir, 0o300);
        let error = null;
        try { await writeFileDurably(dir + '/data.json', 'new'); } catch (e) { error = e; }
        await chmod(dir, 0o700);
        console.log(JSON.stringify({ name: error?.name, message: error?.message, text: await readFile(dir + '/data.json', 'utf8'), files: await readdir(dir) }));
      `),
    );
    assert.equal(result.name, 'ReplacedButNotSynced', 'not "not written": the rename happened');
    assert.match(result.message, /data\.json was replaced but its directory could not be synced: EACCES/);
    assert.equal(result.text, 'new');
    assert.deepEqual(result.files, ['data.json'], 'no temporary file left');
  });

  it('keeps every change when compactions fail, says so once per threshold rather than at every write, and compacts again once the directory is back', async () => {
    const dir = await freshDir();
    const result = JSON.parse(
      await runUnprivileged(`
        import { chmod, readdir } from 'node:fs/promises';
        import { openJsonStore } from ${JSON.stringify(JSON_STORE)};
        import { userRecord } from ${JSON.stringify(STORE_CONTRACT)};
        const dir = ${JSON.stringify(dir)};
        const file = dir + '/data.json';
        const warnings = [];
        const open = () => openJsonStore(file, { compactAfterBytes: 2000, onWarning: (message) => warnings.push(message) });
        const addUsers = async (store, from, count) => {
          for (let i = from; i < from + count; i++) await store.updateUser('u' + i + '@example.com', () => ({ next: userRecord('u' + i + '@example.com'), result: null }));
        };
        let store = await open();
        await addUsers(store, 0, 5);
        const filesBefore = await readdir(dir);
        await chmod(dir, 0o300);
        await addUsers(store, 5, 60);
        await chmod(dir, 0o700);
        // The same store, the directory back: the next try, past the back-off, compacts.
        await addUsers(store, 65, 20);
        await store.close();
        const filesAtEnd = await readdir(dir);
        store = await open();
        const usersAtEnd = await store.countUsers();
        await store.close();
        console.log(JSON.stringify({ warnings, filesBefore, filesAtEnd, usersAtEnd }));
      `),
    );
    // About 15 KB of journal past a 2,000-byte threshold: tried about every 2,000 bytes, not at each of 60 writes.
    assert.ok(result.warnings.length >= 2 && result.warnings.length <= 10, `${result.warnings.length} warnings`);
    for (const warning of result.warnings) assert.match(warning, /^writing a new snapshot failed \(EACCES: permission denied, open '.*'\); every change is kept in the journal/);
    const journals = (files: string[]) => files.filter((name: string) => name.startsWith('data.json.journal-'));
    assert.equal(journals(result.filesBefore).length, 1);
    const [before, atEnd] = [journals(result.filesBefore)[0], journals(result.filesAtEnd)[0]].map((name) => Number(/journal-(\d+)/.exec(name ?? '')?.[1]));
    assert.ok(atEnd! > before!, `a newer journal (${before} then ${atEnd}): compacted by the running store once the directory was back`);
    // Nothing the failed tries made is left: no other journal, no temporary file.
    assert.deepEqual(result.filesAtEnd.sort(), ['data.json', 'data.json.audit', journals(result.filesAtEnd)[0]]);
    assert.equal(result.usersAtEnd, 85, 'every acknowledged change is there after a restart');
  });
});
