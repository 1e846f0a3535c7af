/** Starting the backend: a start that fails halfway leaves nothing behind that blocks the next. */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createBackend } from './backend.ts';
import { loadConfig } from './bin/environment.ts';
import { silentLogger } from './observability/logger.ts';

const dirs: string[] = [];
after(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('createBackend', () => {
  it('closes the store (and frees its lock) when the start fails after opening it, so a retry works', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'backend-start-'));
    dirs.push(dir);
    const config = loadConfig({ DATA_FILE: join(dir, 'data.json') });
    // The secret is read after the store is open: a directory where its file should be fails it.
    await mkdir(join(dir, 'data.secret'));
    await assert.rejects(createBackend(config, { logger: silentLogger }), /EISDIR|directory/i);
    assert.ok(!(await readdir(dir)).includes('data.json.lock'), 'no lock left behind');
    await rm(join(dir, 'data.secret'), { recursive: true });
    const backend = await createBackend(config, { logger: silentLogger });
    await backend.close();
  });
});
