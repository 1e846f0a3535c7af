/**
 * `passwordless-login/server` as a host installs it: a scratch project whose node_modules links to
 * this package, importing the compiled entry (dist/server, `npm run build:server`) from plain
 * `node` and type-checking against its declarations with a strict `tsc`. Nothing here runs the
 * sources: tsx is kept out of the child processes, so a `.ts` file reached at run time (the mail
 * worker, a `.ts` import left in the output) fails the test.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { after, before, it } from 'node:test';
import { getJson, postJson } from '../testing/api-client.ts';
import { REPO_ROOT } from '../testing/cli-process.ts';
import { codeIn, startSmtpSink } from '../testing/smtp-sink.ts';

const run = promisify(execFile);
const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
/** The environment of a host's plain `node`: without the `--import tsx` this test runs under. */
const PLAIN_ENV = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_OPTIONS'));

/** A host's server: listens, mounts the handler, prints its URL, and closes when stdin ends. */
const HOST_SCRIPT = `
import { createServer } from 'node:http';
import { createPasswordless } from 'passwordless-login/server';

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = 'http://127.0.0.1:' + server.address().port;
const passwordless = await createPasswordless({ publicUrl: url, dataFile: process.env.DATA_FILE, smtpUrl: process.env.SMTP_URL });
server.on('request', passwordless.handler);
process.stdout.write(JSON.stringify({ url, entry: import.meta.resolve('passwordless-login/server') }) + '\\n');
process.stdin.on('end', async () => {
  server.closeAllConnections();
  server.close();
  await passwordless.close();
});
process.stdin.resume();
`;

/** Host code as docs/server-library.md shows it, under the strictest settings a host might use. */
const CONSUMER_SOURCE = `
import { createServer } from 'node:http';
import { createPasswordless, LoginError, type Passwordless, type SessionResponse, type User } from 'passwordless-login/server';

const passwordless: Passwordless = await createPasswordless({
  publicUrl: 'https://auth.example.com',
  tokenSequenceLength: 8,
  userCreationDisabled: true,
  onLogin: ({ user, method }) => console.log(user.email, method === 'code' || method === 'link'),
  onLogout: ({ userId }) => console.log(userId.length),
  sendMail: async ({ to, subject, text, html }) => console.log(to, subject, text.length, html.length),
});
// @ts-expect-error the code length is a number: the options are typed, not any
await createPasswordless({ tokenSequenceLength: '8' });

const ended: number = await passwordless.service.revokeUserSessions('user-id');
const revoked: boolean = await passwordless.service.revokeSession('token');
const session: SessionResponse | null = await passwordless.service.findSession('token');
const user: User | null = await passwordless.service.findUser({ email: 'ada@example.com' });
const basePath: string = passwordless.config.basePath;
createServer((req, res) => {
  if (req.url?.startsWith(basePath + '/')) return passwordless.handler(req, res);
  res.end();
});
try {
  await passwordless.service.requestLoginToken({ userId: 'nobody' }, { locale: 'en' });
} catch (error) {
  if (error instanceof LoginError) console.log(error.status, error.code);
}
console.log(ended, revoked, session?.user.id, user?.emailVerified);
await passwordless.close();
`;

const STRICT_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    noUnusedLocals: true,
    noEmit: true,
    // The consumer's own @types/node is this repository's; the package's declarations are checked too.
    types: ['node'],
    typeRoots: [join(REPO_ROOT, 'node_modules', '@types')],
    skipLibCheck: false,
  },
  files: ['consumer.ts'],
};

let project: string;
before(async () => {
  // `npm test` builds first; a lone run of this file builds the entry when it is missing.
  await access(join(REPO_ROOT, 'dist', 'server', 'index.js')).catch(() => run(process.execPath, [TSC, '-p', join(REPO_ROOT, 'tsconfig.server.json')], { env: PLAIN_ENV }));
  project = await mkdtemp(join(tmpdir(), 'passwordless-consumer-'));
  await mkdir(join(project, 'node_modules'));
  await symlink(REPO_ROOT, join(project, 'node_modules', 'passwordless-login'), 'dir');
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'host', private: true, type: 'module' }));
  await writeFile(join(project, 'host.mjs'), HOST_SCRIPT);
  await writeFile(join(project, 'consumer.ts'), CONSUMER_SOURCE);
  await writeFile(join(project, 'tsconfig.json'), JSON.stringify(STRICT_TSCONFIG));
});
after(() => rm(project, { recursive: true, force: true }));

it('runs from plain node: mails a code from the worker thread over real SMTP, signs in, serves the widget', async () => {
  const smtp = await startSmtpSink();
  const host = spawn(process.execPath, ['host.mjs'], {
    cwd: project,
    env: { ...PLAIN_ENV, SMTP_URL: smtp.url, DATA_FILE: join(project, 'data', 'store.json') },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  host.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const exited = once(host, 'exit');
  try {
    const [line] = await Promise.race([
      once(createInterface({ input: host.stdout }), 'line'),
      exited.then(([code]) => Promise.reject(new Error(`the host exited (${code}) before listening: ${stderr}`))),
    ]);
    const { url, entry } = JSON.parse(line as string) as { url: string; entry: string };
    assert.equal(entry, new URL('dist/server/index.js', `file://${REPO_ROOT}`).href, 'the compiled entry, not the sources');

    assert.equal((await postJson(`${url}/auth/request`, { email: 'ada@example.com' })).status, 202);
    const mail = await smtp.nextMail(10_000);
    assert.deepEqual(mail.envelopeTo, ['ada@example.com']);
    const verified = await postJson(`${url}/auth/verify`, { email: 'ada@example.com', code: codeIn(mail) });
    assert.equal(verified.status, 200);
    assert.equal((await getJson(`${url}/auth/session`, { Authorization: `Bearer ${verified.body.session.token}` })).body.user.email, 'ada@example.com');

    const widget = await fetch(`${url}/passwordless-login.js`);
    assert.equal(widget.status, 200, 'the widget bundle is found from dist/server (run `npm run build` first)');
    assert.equal(await widget.text(), await readFile(join(REPO_ROOT, 'dist', 'passwordless-login.js'), 'utf8'));

    host.stdin.end();
    const [code] = await exited;
    assert.equal(code, 0, `the host closed cleanly (mail worker included): ${stderr}`);
  } finally {
    if (host.exitCode === null) host.kill('SIGKILL');
    await smtp.close();
  }
});

it('type-checks a strict consumer against the published declarations', async () => {
  const result = await run(process.execPath, [TSC, '-p', project], { env: PLAIN_ENV }).then(
    () => '',
    (error: { stdout: string; stderr: string }) => error.stdout + error.stderr,
  );
  assert.equal(result, '', 'tsc reported errors');
});
