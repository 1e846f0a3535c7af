/** Starting the backend: a start that fails halfway leaves nothing behind that blocks the next. */
import assert from 'node:assert/strict';
import { appendFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createBackend } from './backend.ts';
import { loadConfig } from './bin/environment.ts';
import { silentLogger } from './observability/logger.ts';
import { recordingLogger } from './testing/recording-logger.ts';

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

  it('answers the element script with a 503 in the error shape when it has not been built, and logs why', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'backend-widget-'));
    dirs.push(dir);
    const { logger, entries } = recordingLogger();
    const backend = await createBackend(loadConfig({ DATA_FILE: join(dir, 'data.json') }), { logger, widgetFile: join(dir, 'missing.js') });
    try {
      const server = createServer(backend.app.callback());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as { port: number };
      const answer = await fetch(`http://127.0.0.1:${port}/passwordless-login.js`);
      assert.equal(answer.status, 503);
      assert.equal(answer.headers.get('cache-control'), 'no-store');
      assert.deepEqual(await answer.json(), { error: { code: 'internal_error', message: 'The widget has not been built on this server.' } });
      assert.ok(entries.some((e) => e.level === 'error' && String(e.msg).includes('widget bundle missing')));
      server.close();
    } finally {
      await backend.close();
    }
  });

  it('logs what the JSON store noticed and went on from: a torn journal line cut off at start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'backend-warning-'));
    dirs.push(dir);
    const config = loadConfig({ DATA_FILE: join(dir, 'data.json') });
    await (await createBackend(config, { logger: silentLogger })).close();
    const [journal] = (await readdir(dir)).filter((name) => name.startsWith('data.json.journal-'));
    // A write a crash interrupted: never acknowledged, cut off by the next start.
    await appendFile(join(dir, journal!), '{"op":"login","key":"b@exam');
    const { logger, entries } = recordingLogger();
    const backend = await createBackend(config, { logger });
    await backend.close();
    const warning = entries.find((e) => e.level === 'warn' && e.msg === 'data file warning');
    assert.ok(warning, JSON.stringify(entries.map((e) => e.msg)));
    assert.equal(warning.file, join(dir, 'data.json'));
    assert.match(String(warning.warning), /^cut 27 bytes of an interrupted, never acknowledged write off the end of .*journal/);
  });
});
