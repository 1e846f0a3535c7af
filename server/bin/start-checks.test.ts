/**
 * What `passwordless-login serve` says at start, run as the compiled bin: an SMTP server that
 * cannot take our mail stops a production start in one line (or warns, with SMTP_CHECK=warn, and
 * outside production); several bad settings come in one error; and the `listening` entry names
 * the effective configuration, the backend's own origin included, no password, and the heap growth
 * it set (heap-growth.ts) or was given.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCliExpectingExit, startCli } from '../testing/cli-process.ts';
import { freePort } from '../testing/free-port.ts';
import { startSmtpSink, type SmtpSink } from '../testing/smtp-sink.ts';

const PRODUCTION = { NODE_ENV: 'production', PUBLIC_URL: 'https://auth.example.com', SECRET: 's'.repeat(32) };

let dir: string;
let refusing: SmtpSink;
let sink: SmtpSink;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'passwordless-start-'));
  refusing = await startSmtpSink({ refuseLogin: true });
  sink = await startSmtpSink();
});
after(async () => {
  await refusing.close();
  await sink.close();
  await rm(dir, { recursive: true, force: true });
});

/** The JSON log entries on stderr. */
const entries = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, any>);

describe('serve at start', () => {
  it('refuses a production start whose SMTP port is closed, in one line naming host:port, the cause and the fixes', async () => {
    const port = await freePort();
    const outcome = await runCliExpectingExit({ dataFile: join(dir, 'closed.json'), env: { ...PRODUCTION, SMTP_URL: `smtp://127.0.0.1:${port}` } });
    assert.equal(outcome.started, false, outcome.stderr);
    assert.equal(outcome.code, 1);
    assert.match(outcome.stderr, new RegExp(`^SMTP check failed: SMTP 127\\.0\\.0\\.1:${port}: connection refused \\(connect ECONNREFUSED [^)]*\\)\\. Nothing listens there: check the host and port in SMTP_URL .*Or set SMTP_CHECK=warn to start anyway\\.\\n$`));
  });

  it('refuses a production start whose SMTP login is refused, without the password', async () => {
    const outcome = await runCliExpectingExit({ dataFile: join(dir, 'auth.json'), env: { ...PRODUCTION, SMTP_URL: `smtp://ops:hunter2@127.0.0.1:${refusing.port}` } });
    assert.equal(outcome.code, 1, outcome.stderr);
    assert.match(outcome.stderr, /^SMTP check failed: SMTP 127\.0\.0\.1:\d+: authentication failed \(.*535.*\)\. Check the user name and password in SMTP_URL/);
    assert.ok(!outcome.stderr.includes('hunter2'));
  });

  for (const [label, env] of [
    ['in production with SMTP_CHECK=warn', { ...PRODUCTION, SMTP_CHECK: 'warn' }],
    ['outside production', {}],
  ] as const) {
    it(`starts anyway ${label}, with one warning naming the cause`, async () => {
      const cli = await startCli({ dataFile: join(dir, `warn-${label.length}.json`), env: { ...env, SMTP_URL: `smtp://ops:hunter2@127.0.0.1:${refusing.port}` } });
      const exit = await cli.stop();
      // Only SMTP's: an unbuilt element has a warning of its own.
      const warnings = entries(exit.stderr).filter((entry) => entry.level === 'warn' && /SMTP/.test(entry.msg));
      assert.equal(warnings.length, 1, exit.stderr);
      assert.match(warnings[0]!.msg, /^SMTP 127\.0\.0\.1:\d+: authentication failed .* Starting anyway \(SMTP_CHECK=warn\): login mails fail until this is fixed\.$/);
      assert.equal(warnings[0]!.cause, 'authentication failed');
    });
  }

  it('lists every bad setting in one error, one per line', async () => {
    const outcome = await runCliExpectingExit({ dataFile: join(dir, 'bad.json'), env: { CODE_LENGTH: '4', SMTP_URL: 'mail.example.com', SESSION_COOKIE: 'maybe' } });
    assert.equal(outcome.code, 1);
    assert.equal(
      outcome.stderr,
      [
        'Configuration error: 3 settings need fixing:',
        '  SESSION_COOKIE must be on or off (or true/false, yes/no, 1/0), got "maybe"',
        '  SMTP_URL must start with smtp:// or smtps://, like smtp://user:pass@mail.example.com:587, got "mail.example.com"',
        '  CODE_LENGTH must be a whole number from 6 to 10, got 4',
        '',
      ].join('\n'),
    );
  });

  it('names the effective configuration in its listening entry: origins with its own, landing prefixes, store, SMTP without password, production or not', async () => {
    const dataFile = join(dir, 'effective.json');
    const cli = await startCli({ dataFile, env: { ALLOWED_ORIGINS: 'https://site.example', SMTP_URL: `smtp://ops:hunter2@127.0.0.1:${sink.port}` } });
    const exit = await cli.stop();
    const listening = entries(exit.stderr).find((entry) => entry.msg === 'listening');
    const own = `http://localhost:${cli.port}`;
    assert.deepEqual(listening && { ...listening, time: undefined, level: undefined }, {
      msg: 'listening',
      time: undefined,
      level: undefined,
      url: cli.url,
      production: false,
      publicUrl: own,
      allowedOrigins: ['https://site.example', own, cli.url],
      redirectUrls: ['https://site.example/', `${own}/`, `${cli.url}/`],
      store: `json file ${dataFile}`,
      mail: `smtp 127.0.0.1:${sink.port} as ops`,
      mailFrom: 'Sign-in <no-reply@localhost>',
      passkeys: `on, RP ID localhost ("localhost:${cli.port}")`,
      heapGrowingPercent: 30,
    });
    assert.ok(!exit.stderr.includes('hunter2'));
  });

  it("keeps a heap growth given on node's command line, and names it in its listening entry", async () => {
    const cli = await startCli({ dataFile: join(dir, 'heap-growth.json'), nodeArgs: ['--heap-growing-percent=0'] });
    const exit = await cli.stop();
    assert.equal(entries(exit.stderr).find((entry) => entry.msg === 'listening')?.heapGrowingPercent, 0);
  });
});
