/**
 * A store the CLI cannot trust or cannot write stops the start (docs/storage.md: a corrupt
 * file is never silently reset; one process per JSON file). Each case runs the real CLI and
 * asserts: exit code 1, one line on stderr (`Store error: …` or `Configuration error: …`, no
 * stack trace) that names the file, and every file that was there before left as it was (same
 * bytes; a lock file is the only thing a refused start may leave behind).
 *
 * The valid store the cases start from is made by the CLI itself: two sign-ins, then a
 * graceful stop, so the directory holds whatever the store's layout is (snapshot, journal).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, chown, cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { getJson, postJson } from '../../testing/api-client.ts';
import { runCliExpectingExit, startCli, type CliOptions, type CliOutcome, type CliProcess } from '../../testing/cli-process.ts';
import { codeIn, startSmtpSink, type SmtpSink } from '../../testing/smtp-sink.ts';

const run = promisify(execFile);
const DATA_NAME = 'passwordless.json';
/** A 32+ character key, for the cases that must reach the store without a secret file beside it. */
const SECRET = 'start-failures-test-secret-0123456789abcdef';

let smtp: SmtpSink;
let root: string;
/** A directory holding a valid store made by the CLI (two users signed in, stopped gracefully). */
let validStore: string;
let caseCount = 0;

before(async () => {
  smtp = await startSmtpSink();
  root = await mkdtemp(join(tmpdir(), 'pl-start-'));
  validStore = join(root, 'valid');
  const cli = await startCli({ dataFile: join(validStore, DATA_NAME), env: { SMTP_URL: smtp.url, RATE_LIMITS: 'off' } });
  try {
    for (const email of ['ana@example.com', 'bo@example.com']) await signIn(cli, email);
  } finally {
    const exit = await cli.stop();
    assert.equal(exit.code, 0, `graceful stop of the fixture server: ${exit.stderr}`);
  }
  await rm(join(validStore, `${DATA_NAME}.lock`), { force: true });
});

after(async () => {
  await smtp.close();
  await rm(root, { recursive: true, force: true });
});

async function signIn(cli: CliProcess, email: string): Promise<string> {
  const asked = await postJson(`${cli.url}/auth/request`, { email });
  assert.equal(asked.status, 202, JSON.stringify(asked.body));
  const deadline = Date.now() + 10_000;
  let mail = smtp.received.find((m) => m.envelopeTo[0] === email);
  while (!mail) {
    assert.ok(Date.now() < deadline, `no mail for ${email} within 10 s`);
    // A poll interval, bounded by the deadline.
    await new Promise((resolve) => setTimeout(resolve, 5));
    mail = smtp.received.find((m) => m.envelopeTo[0] === email);
  }
  smtp.received.splice(smtp.received.indexOf(mail), 1);
  const verified = await postJson(`${cli.url}/auth/verify`, { email, code: codeIn(mail) });
  assert.equal(verified.status, 200, JSON.stringify(verified.body));
  return verified.body.session.token;
}

/** A fresh case directory holding a copy of the valid store; returns the DATA_FILE path in it. */
async function copyOfValidStore(): Promise<string> {
  const dir = join(root, `case-${caseCount++}`);
  await cp(validStore, dir, { recursive: true });
  return join(dir, DATA_NAME);
}

async function emptyCaseDir(): Promise<string> {
  const dir = join(root, `case-${caseCount++}`);
  await mkdir(dir);
  return dir;
}

/** Every file under `dir` (relative path → bytes and mode), to compare before and after. */
async function filesUnder(dir: string): Promise<Map<string, { bytes: Buffer; mode: number }>> {
  const files = new Map<string, { bytes: Buffer; mode: number }>();
  const walk = async (at: string): Promise<void> => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) await walk(path);
      else files.set(relative(dir, path), { bytes: await readFile(path), mode: (await stat(path)).mode });
    }
  };
  await walk(dir);
  return files;
}

/** Nothing that was under `dir` changed or went; new files may only be a lock. */
function assertUntouched(before: Map<string, { bytes: Buffer; mode: number }>, after: Map<string, { bytes: Buffer; mode: number }>, what: string): void {
  for (const [name, { bytes, mode }] of before) {
    const now = after.get(name);
    assert.ok(now, `${what}: ${name} was removed`);
    assert.ok(now.bytes.equals(bytes), `${what}: ${name} changed (${bytes.length} → ${now.bytes.length} bytes)`);
    assert.equal(now.mode, mode, `${what}: the mode of ${name} changed`);
  }
  const added = [...after.keys()].filter((name) => !before.has(name) && !name.endsWith('.lock'));
  assert.deepEqual(added, [], `${what}: a refused start created files`);
}

/** Exit code 1 and one line on stderr that names one of `names`. */
function assertRefused(outcome: CliOutcome, names: string[]): string {
  assert.equal(outcome.started, false, `the CLI started and answered /health instead of refusing; stderr: ${outcome.stderr.trim() || '(empty)'}`);
  assert.equal(outcome.code, 1, `exit code; stderr: ${outcome.stderr}`);
  const lines = outcome.stderr.split('\n').filter((line) => line.trim() !== '');
  assert.equal(lines.length, 1, `stderr must be one line:\n${outcome.stderr}`);
  const line = lines[0]!;
  assert.match(line, /^(Store error|Configuration error): \S/);
  assert.ok(
    names.some((name) => line.includes(name)),
    `the message must name ${names.join(' or ')}: ${line}`,
  );
  return line;
}

/** Runs the CLI on `dataFile` and asserts a refused start that leaves `watched` untouched. */
async function assertStartRefused(dataFile: string, options: { watched?: string; names?: string[]; cli?: Partial<CliOptions> } = {}): Promise<string> {
  const watched = options.watched ?? dirname(dataFile);
  const before = await filesUnder(watched);
  const outcome = await runCliExpectingExit({ dataFile, env: { SMTP_URL: smtp.url }, ...options.cli });
  const line = assertRefused(outcome, options.names ?? [dataFile]);
  assertUntouched(before, await filesUnder(watched), line);
  return line;
}

/**
 * Makes `file` unwritable for whoever runs the CLI. chmod alone does not stop root, so as root
 * the file is also made immutable (`chattr +i`: ext4, xfs, btrfs); where that is refused, the
 * CLI runs as `nobody` instead, on a directory it owns. Returns how, the CLI options, and an undo.
 */
async function unwritable(file: string): Promise<{ how: string; cli: Partial<CliOptions>; undo: () => Promise<void> }> {
  await chmod(file, 0o444);
  if (process.getuid?.() !== 0) return { how: 'chmod 0444', cli: {}, undo: async () => {} };
  try {
    await run('chattr', ['+i', file]);
    return { how: 'chmod 0444 + chattr +i (root)', cli: {}, undo: () => run('chattr', ['-i', file]).then(() => {}) };
  } catch {
    const nobody = 65534;
    await chown(dirname(file), nobody, nobody);
    for (const name of await readdir(dirname(file))) await chown(join(dirname(file), name), nobody, nobody);
    return { how: 'chmod 0444, CLI run as nobody (chattr refused)', cli: { uid: nobody, gid: nobody }, undo: async () => {} };
  }
}

// The cases use separate directories: run them side by side (each is mostly a cold CLI start).
describe('a start that cannot trust or write the store stops with one line naming the file', { concurrency: 3 }, () => {
  it('refuses a data file that is not JSON, and leaves it as it was', async (t) => {
    const dataFile = await copyOfValidStore();
    const text = await readFile(dataFile, 'utf8');
    await writeFile(dataFile, text.replace(':', ''));
    t.diagnostic(await assertStartRefused(dataFile));
  });

  it('refuses a data file cut in half, and leaves it as it was', async (t) => {
    const dataFile = await copyOfValidStore();
    const bytes = await readFile(dataFile);
    assert.ok(bytes.length > 20, `the valid store is ${bytes.length} bytes`);
    await writeFile(dataFile, bytes.subarray(0, Math.floor(bytes.length / 2)));
    t.diagnostic(await assertStartRefused(dataFile));
  });

  it('refuses JSON that is not a passwordless-login store ({"todos":[]})', async (t) => {
    const dataFile = join(await emptyCaseDir(), DATA_NAME);
    await writeFile(dataFile, '{"todos":[]}');
    t.diagnostic(await assertStartRefused(dataFile));
  });

  it('refuses a data file it cannot read (DATA_FILE is a directory)', async (t) => {
    const dataFile = join(await emptyCaseDir(), DATA_NAME);
    await mkdir(dataFile);
    await writeFile(join(dataFile, 'keep.txt'), 'not the store');
    t.diagnostic(await assertStartRefused(dataFile));
  });

  it('refuses a read-only data file instead of failing at the first write', async (t) => {
    const dataFile = await copyOfValidStore();
    const { how, cli, undo } = await unwritable(dataFile);
    t.diagnostic(how);
    try {
      t.diagnostic(await assertStartRefused(dataFile, { cli }));
    } finally {
      await undo();
    }
  });

  it('refuses a data directory that cannot be created (a file is in the way)', async (t) => {
    const dir = await emptyCaseDir();
    const blocker = join(dir, 'blocker');
    await writeFile(blocker, 'a file where a directory should be');
    const dataFile = join(blocker, 'data', DATA_NAME);
    // With SECRET the store creates the directory; without it the secret file beside the data
    // file needs it too: both paths must give the one-line answer.
    t.diagnostic(await assertStartRefused(dataFile, { watched: dir, names: [dataFile, dirname(dataFile)], cli: { env: { SMTP_URL: smtp.url, SECRET } } }));
    t.diagnostic(await assertStartRefused(dataFile, { watched: dir, names: [dataFile, dirname(dataFile)] }));
  });

  it('refuses a second process on the same data file, and the first keeps working', async (t) => {
    const dataFile = await copyOfValidStore();
    const first = await startCli({ dataFile, env: { SMTP_URL: smtp.url, RATE_LIMITS: 'off' } });
    try {
      const lockName = `${dataFile}.lock`;
      // Twice: a refused start must not release the first process's lock on its way out.
      t.diagnostic(await assertStartRefused(dataFile, { names: [dataFile, lockName] }));
      t.diagnostic(await assertStartRefused(dataFile, { names: [dataFile, lockName] }));
      const token = await signIn(first, 'cy@example.com');
      const session = await getJson(`${first.url}/auth/session`, { Authorization: `Bearer ${token}` });
      assert.equal(session.status, 200, 'the first process still answers');
    } finally {
      const exit = await first.stop();
      assert.equal(exit.code, 0, `the first process stops cleanly: ${exit.stderr}`);
    }
  });
});
