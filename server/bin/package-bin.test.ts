/**
 * The package as npm publishes it: `files` ships the built element, the compiled server and the
 * templates and nothing else, tsx is no runtime dependency, and the `bin` serves from a host
 * project's node_modules with plain `node` (no `--import tsx`, so a `.ts` file reached at run
 * time fails it).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { CLI_FILE, REPO_ROOT, startCli } from '../testing/cli-process.ts';

const run = promisify(execFile);
const packageJson = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  dependencies: Record<string, string>;
};

describe('the published package', () => {
  let shipped: string[];
  before(async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT });
    shipped = (JSON.parse(stdout) as [{ files: { path: string }[] }])[0].files.map((file) => file.path);
  });

  it('ships the element, its modules, the compiled server and library, and the templates', () => {
    for (const file of [
      'dist/passwordless-login.js',
      'dist/passwordless-login/locales/zh-CN.js',
      'dist/esm/passwordless-login.js',
      'dist/server/index.js',
      'dist/server/index.d.ts',
      'dist/server/bin/passwordless-login.js',
      'dist/server/mail/worker/worker-thread.js',
      'dist/contract/index.js',
      'templates/login.en.html',
      'templates/subjects.json',
      'README.md',
    ]) {
      assert.ok(shipped.includes(file), `${file} is shipped`);
    }
  });

  it('ships no sources, tests, demo, benchmarks or docs', () => {
    const unwanted = shipped.filter(
      (file) => (file.endsWith('.ts') && !file.endsWith('.d.ts')) || /^(server|widget|demo|bench|docs|contract)\//.test(file) || file.startsWith('dist/demo/') || /\.test\./.test(file),
    );
    assert.deepEqual(unwanted, []);
  });

  it('needs no TypeScript at run time: tsx is a development tool', () => {
    assert.equal(packageJson.dependencies.tsx, undefined);
    assert.equal(packageJson.bin['passwordless-login'], 'dist/server/bin/passwordless-login.js');
  });
});

describe('npx passwordless-login serve, from a host project', () => {
  let project: string;
  before(async () => {
    project = await mkdtemp(join(tmpdir(), 'passwordless-host-'));
    await mkdir(join(project, 'node_modules', '.bin'), { recursive: true });
    await symlink(REPO_ROOT, join(project, 'node_modules', 'passwordless-login'), 'dir');
    // What npm writes for the package's `bin` on install.
    await symlink(join('..', 'passwordless-login', packageJson.bin['passwordless-login']!), join(project, 'node_modules', '.bin', 'passwordless-login'));
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'host', private: true, type: 'module' }));
  });
  after(() => rm(project, { recursive: true, force: true }));

  it('starts with a node shebang', async () => {
    assert.match(await readFile(CLI_FILE, 'utf8'), /^#!\/usr\/bin\/env node\n/);
  });

  it('serves the API, the element and its language modules, without the repository’s demo, and stops cleanly', async () => {
    const cli = await startCli({ file: join(project, 'node_modules', '.bin', 'passwordless-login'), cwd: project, dataFile: join(project, 'data', 'store.json') });
    try {
      assert.equal((await fetch(`${cli.url}/auth/config`)).status, 200);
      const element = await fetch(`${cli.url}/passwordless-login.js`);
      assert.equal(element.status, 200);
      assert.equal(await element.text(), await readFile(join(REPO_ROOT, 'dist', 'passwordless-login.js'), 'utf8'));
      assert.equal((await fetch(`${cli.url}/passwordless-login/locales/fr.js`)).status, 200);
      assert.equal((await fetch(`${cli.url}/`)).status, 404, 'the demo page is the repository’s, not the package’s');
    } finally {
      const exit = await cli.stop();
      assert.equal(exit.code, 0, exit.stderr);
    }
  });

  it('answers an unknown command with the usage and exit code 2', async () => {
    await assert.rejects(run(process.execPath, [join(project, 'node_modules', '.bin', 'passwordless-login'), 'sreve'], { cwd: project }), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 2);
      assert.match(error.stderr, /^Unknown command "sreve"\.\n\nusage:\n {2}passwordless-login serve/);
      return true;
    });
  });
});
