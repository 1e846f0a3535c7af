/**
 * The package as npm publishes it: `files` ships the built element, the compiled server and the
 * templates and nothing else, tsx is no runtime dependency, and the `bin` serves from a copy
 * installed in a host project (testing/packed-package.ts: the packed files and the runtime
 * dependencies only) with plain `node`, so a devDependency, a file not shipped or a `.ts` file
 * reached at run time fails it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT, startCli } from '../testing/cli-process.ts';
import { installPackedPackage, type PackedPackage } from '../testing/packed-package.ts';

const run = promisify(execFile);
const packageJson = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  dependencies: Record<string, string>;
};

let project: string;
let installed: PackedPackage;
// One `npm pack`, installed in a host project: what it ships, and what runs from it.
before(async () => {
  project = await mkdtemp(join(tmpdir(), 'passwordless-host-'));
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'host', private: true, type: 'module' }));
  installed = await installPackedPackage(project);
});
after(() => rm(project, { recursive: true, force: true }));

describe('the published package', () => {
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
      assert.ok(installed.files.includes(file), `${file} is shipped`);
    }
  });

  it('ships no sources, tests, demo, benchmarks or docs', () => {
    const unwanted = installed.files.filter(
      (file) => (file.endsWith('.ts') && !file.endsWith('.d.ts')) || /^(server|widget|demo|bench|docs|contract)\//.test(file) || file.startsWith('dist/demo/') || /\.test\./.test(file),
    );
    assert.deepEqual(unwanted, []);
  });

  it('needs no TypeScript at run time: tsx is a development tool', () => {
    assert.equal(packageJson.dependencies.tsx, undefined);
    assert.equal(packageJson.bin['passwordless-login'], 'dist/server/bin/passwordless-login.js');
  });
});

describe('npx passwordless-login serve, installed in a host project', () => {
  it('starts with a node shebang', async () => {
    assert.match(await readFile(join(installed.dir, packageJson.bin['passwordless-login']!), 'utf8'), /^#!\/usr\/bin\/env node\n/);
  });

  it('serves the API, the element and its modules from the installed copy, without the repository’s demo, and stops cleanly', async () => {
    const cli = await startCli({ file: installed.bin, cwd: project, dataFile: join(project, 'data', 'store.json') });
    try {
      assert.equal((await fetch(`${cli.url}/auth/config`)).status, 200);
      const element = await fetch(`${cli.url}/passwordless-login.js`);
      assert.equal(element.status, 200);
      assert.equal(await element.text(), await readFile(join(installed.dir, 'dist', 'passwordless-login.js'), 'utf8'));
      assert.equal((await fetch(`${cli.url}/passwordless-login/locales/fr.js`)).status, 200);
      assert.equal((await fetch(`${cli.url}/passwordless-login/features/link.js`)).status, 200);
      assert.equal((await fetch(`${cli.url}/`)).status, 404, 'the demo page is the repository’s, not the package’s');
      assert.match(cli.stderr(), /"msg":"no SMTP_URL: login mails go to an in-memory dev mailbox/, 'says where the codes went');
    } finally {
      const exit = await cli.stop();
      assert.equal(exit.code, 0, exit.stderr);
    }
  });

  for (const [args, stderr] of [
    [['sreve'], /^Unknown command "sreve"\.\n\nusage:\n {2}passwordless-login serve/],
    [['serve', '--help'], /^"serve" takes no arguments \(got --help\): its settings are environment variables\.\n\nusage:/],
    [['migrate-to-redis', '--bogus'], /^Unknown option '--bogus'.*\nusage: passwordless-login migrate-to-redis/s],
  ] as const) {
    it(`answers \`${args.join(' ')}\` with the usage and exit code 2`, async () => {
      await assert.rejects(run(process.execPath, [installed.bin, ...args], { cwd: project }), (error: { code: number; stderr: string }) => {
        assert.equal(error.code, 2);
        assert.match(error.stderr, stderr);
        return true;
      });
    });
  }
});
