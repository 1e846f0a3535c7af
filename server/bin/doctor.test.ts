/**
 * `passwordless-login doctor`: one line per check with ✓ ! ✗, exit 1 only when one failed. Real
 * SMTP servers (smtp-server), real files, a real redis-server; DNS is a stubbed resolver (there is
 * no network here), except in the last test, which runs the compiled bin as operators do.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { CLI_FILE, ensureCompiledCli, REPO_ROOT } from '../testing/cli-process.ts';
import { freePort } from '../testing/free-port.ts';
import { retentionFor } from '../login/retention.ts';
import { SCHEMA_VERSION } from '../store/postgres/migrations.ts';
import { openPostgresStore } from '../store/postgres/postgres-store.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres-server.ts';
import { redisVersionIsEnough } from '../doctor/store-check.ts';
import { startTestRedis, type TestRedis } from '../testing/redis-server.ts';
import { startSmtpSink, type SmtpSink } from '../testing/smtp-sink.ts';
import type { ResolveTxt } from '../doctor/mail-dns.ts';
import { doctor } from './doctor.ts';

const run = promisify(execFile);
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PUBLIC_KEY = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const OTHER_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

let dir: string;
let sink: SmtpSink;
let refusing: SmtpSink;
let keyFile: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'passwordless-doctor-'));
  keyFile = join(dir, 'dkim.pem');
  await writeFile(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  sink = await startSmtpSink();
  refusing = await startSmtpSink({ refuseLogin: true });
});
after(async () => {
  await sink.close();
  await refusing.close();
  await rm(dir, { recursive: true, force: true });
});

/** A DNS zone as the stub answers it: a name's TXT records, or the error code its lookup fails with. */
function zone(records: Record<string, string[] | string>): ResolveTxt {
  return async (name) => {
    const found = records[name];
    if (found === undefined) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    if (typeof found === 'string') throw Object.assign(new Error(`queryTxt ${found} ${name}`), { code: found });
    // Long records come in chunks of 255: the checks must join them.
    return found.map((record) => (record.length > 255 ? [record.slice(0, 255), record.slice(255)] : [record]));
  };
}

const SIGNED_ZONE = {
  'example.com': ['google-site-verification=abc', 'v=spf1 include:_spf.mail.example.net -all'],
  '_dmarc.example.com': ['v=DMARC1; p=reject'],
  'mail2026._domainkey.example.com': [`v=DKIM1; k=rsa; p=${PUBLIC_KEY}`],
};

async function runDoctor(env: Record<string, string>, resolveTxt: ResolveTxt, args: string[] = []) {
  let out = '';
  const code = await doctor(args, { env: { DATA_FILE: join(dir, 'data', 'store.json'), ...env }, resolveTxt, write: (text) => (out += text) });
  return { code, out, lines: out.split('\n').filter((line) => /^[✓!✗] /.test(line)) };
}

const MAIL = () => ({ SMTP_URL: `smtp://ops:pw@127.0.0.1:${sink.port}`, MAIL_FROM: 'Sign-in <no-reply@example.com>', DKIM_DOMAIN: 'example.com', DKIM_SELECTOR: 'mail2026', DKIM_PRIVATE_KEY_FILE: keyFile });

describe('passwordless-login doctor', () => {
  it('passes a sound setup: every line ✓, the effective configuration printed, exit 0', async () => {
    const { code, out, lines } = await runDoctor(MAIL(), zone(SIGNED_ZONE));
    assert.deepEqual(lines, [
      '✓ configuration: valid (not production: NODE_ENV is not "production")',
      `✓ SMTP 127.0.0.1:${sink.port} answers and accepts the login`,
      `✓ JSON store ${join(dir, 'data', 'store.json')}: the directory does not exist yet; serve will create it`,
      '✓ SPF for example.com: v=spf1 include:_spf.mail.example.net -all',
      '✓ DMARC for example.com: v=DMARC1; p=reject',
      '✓ DKIM mail2026._domainkey.example.com: published, and it matches DKIM_PRIVATE_KEY_FILE',
    ]);
    assert.equal(code, 0);
    assert.match(out, /\n {4}mail: smtp 127\.0\.0\.1:\d+ as ops\n/);
    assert.ok(!out.includes(':pw@'), 'no password printed');
  });

  it('fails on a missing SPF record or a DKIM key that is not ours, naming the record to publish; a missing DMARC is a warning', async () => {
    const { code, lines } = await runDoctor(MAIL(), zone({ 'example.com': ['v=verification'], '_dmarc.example.com': 'ENODATA', 'mail2026._domainkey.example.com': [`v=DKIM1; k=rsa; p=${OTHER_KEY}`] }));
    assert.equal(code, 1);
    assert.deepEqual(lines.slice(3), [
      '✗ SPF for example.com: no record: publish TXT "v=spf1 include:<your mail provider\'s SPF domain> -all" at example.com (or ip4:<your SMTP server\'s address>)',
      '! DMARC for example.com: no record: publish TXT "v=DMARC1; p=none; rua=mailto:dmarc@example.com" at _dmarc.example.com, then tighten p= to quarantine',
      `✗ DKIM mail2026._domainkey.example.com: the published key is not the public half of DKIM_PRIVATE_KEY_FILE, so every signature fails: publish TXT "v=DKIM1; k=rsa; p=${PUBLIC_KEY}" at mail2026._domainkey.example.com`,
    ]);
    const missingKey = await runDoctor(MAIL(), zone({ ...SIGNED_ZONE, 'mail2026._domainkey.example.com': 'ENOTFOUND' }));
    assert.match(missingKey.lines[5]!, /^✗ DKIM mail2026\._domainkey\.example\.com: no key record: publish TXT "v=DKIM1; k=rsa; p=MII/);
  });

  it('reads a DNS it cannot reach as "could not look up (no network?)", never as missing, and does not fail for it', async () => {
    for (const resolveTxt of [zone({ 'example.com': 'ECONNREFUSED' }), zone({})]) {
      const { code, lines } = await runDoctor(MAIL(), resolveTxt);
      assert.equal(code, 0, lines.join('\n'));
      assert.deepEqual(lines.slice(3).map((line) => line.slice(0, 2)), ['! ', '! ', '! ']);
      for (const line of lines.slice(3)) assert.match(line, /could not look up \(no network\?\)/);
    }
  });

  it('says it cannot check DKIM without a selector', async () => {
    const { lines } = await runDoctor({ SMTP_URL: sink.url, MAIL_FROM: 'no-reply@example.com' }, zone(SIGNED_ZONE));
    assert.match(lines.at(-1)!, /^! DKIM for example\.com: cannot check without a selector: sign the mail with DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY_FILE/);
  });

  it('lists every configuration problem at once and stops there, exit 1', async () => {
    const { code, out, lines } = await runDoctor({ CODE_LENGTH: '4', SMTP_URL: 'mail.example.com', NODE_ENV: 'production' }, zone({}));
    assert.equal(code, 1);
    assert.deepEqual(lines, [
      '✗ configuration: SMTP_URL must start with smtp:// or smtps://, like smtp://user:pass@mail.example.com:587, got "mail.example.com"',
      '✗ configuration: CODE_LENGTH must be a whole number from 6 to 10, got 4',
      '✗ configuration: PUBLIC_URL is required when NODE_ENV=production: set it to https://auth.example.com',
      '✗ configuration: SECRET is required when NODE_ENV=production: set it to the output of `openssl rand -base64 32`',
    ]);
    assert.match(out, /fix the lines above and run the doctor again/);
  });

  it('fails on an SMTP server that refuses the login and on a data file that cannot be, with their fixes', async () => {
    await writeFile(join(dir, 'a-file'), '');
    const { code, lines } = await runDoctor({ ...MAIL(), SMTP_URL: `smtp://ops:wrong@127.0.0.1:${refusing.port}`, DATA_FILE: join(dir, 'a-file', 'store.json') }, zone(SIGNED_ZONE));
    assert.equal(code, 1);
    assert.match(lines[1]!, new RegExp(`^✗ SMTP 127\\.0\\.0\\.1:${refusing.port}: authentication failed \\(.*535.*\\)\\. Check the user name and password in SMTP_URL`));
    assert.match(lines[2]!, /^✗ JSON store .*a-file\/store\.json: .*a-file is not a directory: set DATA_FILE/);
  });

  it('wants Redis 6.2 or newer (SET … PXAT)', () => {
    for (const version of ['6.2.0', '6.2.14', '7.0.15', '10.0.1']) assert.equal(redisVersionIsEnough(version), true, version);
    for (const version of ['6.0.16', '5.0.7', 'unknown', '']) assert.equal(redisVersionIsEnough(version), false, version);
  });

  it('pings Redis, and names one that does not answer', async () => {
    const redis: TestRedis = await startTestRedis();
    try {
      const up = await runDoctor({ ...MAIL(), REDIS_URL: redis.url, SECRET: 's'.repeat(32) }, zone(SIGNED_ZONE));
      assert.ok(up.lines[2]!.startsWith(`✓ Redis ${redis.url} answers PING (version `), up.lines[2]);
    } finally {
      await redis.stop();
    }
    const port = await freePort();
    const down = await runDoctor({ ...MAIL(), REDIS_URL: `redis://:hunter2@127.0.0.1:${port}`, SECRET: 's'.repeat(32) }, zone(SIGNED_ZONE));
    assert.equal(down.code, 1);
    assert.match(down.lines[2]!, new RegExp(`^✗ Cannot reach Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port} \\(REDIS_URL\\): .*check that redis-server runs there`));
  });

  it('reads the PostgreSQL schema’s version without migrating, and names a database that does not answer', async () => {
    const postgres: TestPostgres = await startTestPostgres();
    try {
      const url = await postgres.createDatabase();
      const env = { ...MAIL(), DATABASE_URL: url, SECRET: 's'.repeat(32) };
      const fresh = await runDoctor(env, zone(SIGNED_ZONE));
      assert.equal(fresh.lines[2], `✓ PostgreSQL ${url} answers; schema "passwordless" has no tables yet: serve will create them (the user needs CREATE on the database, or the schema made for it)`);
      const store = await openPostgresStore(url, { retention: retentionFor({ codeTtlSeconds: 600, resendSeconds: 60 }) });
      await store.close();
      const migrated = await runDoctor(env, zone(SIGNED_ZONE));
      assert.equal(migrated.lines[2], `✓ PostgreSQL ${url} answers; schema "passwordless" at version ${SCHEMA_VERSION}`);
      assert.match(migrated.out, new RegExp(`\n {4}store: postgresql ${url.replace(/[.]/g, '\\.')} schema passwordless\n`));
    } finally {
      await postgres.stop();
    }
    const port = await freePort();
    const down = await runDoctor({ ...MAIL(), DATABASE_URL: `postgres://app:hunter2@127.0.0.1:${port}/app`, SECRET: 's'.repeat(32) }, zone(SIGNED_ZONE));
    assert.equal(down.code, 1);
    assert.match(down.lines[2]!, new RegExp(`^✗ PostgreSQL postgres://app:\\*\\*\\*@127\\.0\\.0\\.1:${port}/app cannot be used: connect ECONNREFUSED .*: check that PostgreSQL runs there`));
  });

  it('--send-test-mail sends one real mail through SMTP_URL, DKIM-signed, and prints the server’s answer', async () => {
    const { code, lines } = await runDoctor(MAIL(), zone(SIGNED_ZONE), ['--send-test-mail', 'ops@example.org']);
    assert.equal(code, 0);
    assert.match(lines.at(-1)!, /^✓ test mail to ops@example\.org: the server answered "250 .*"$/);
    const mail = await sink.nextMail();
    assert.deepEqual(mail.envelopeTo, ['ops@example.org']);
    assert.match(mail.raw.toString('latin1'), /^DKIM-Signature:[\s\S]*?d=example\.com;[\s\S]*?s=mail2026;/m);
  });

  it('runs as the compiled bin (npm run doctor): real DNS, exit 0 when nothing failed, 2 for a wrong option', async () => {
    ensureCompiledCli();
    // `.invalid` never resolves (RFC 2606), network or not: its lines are "could not look up".
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', SMTP_URL: sink.url, MAIL_FROM: 'no-reply@example.invalid', DATA_FILE: join(dir, 'bin', 'store.json') };
    const { stdout } = await run('npm', ['run', '--silent', 'doctor', '--', '--send-test-mail', 'bin@example.org'], { cwd: REPO_ROOT, env });
    const lines = stdout.split('\n').filter((line) => /^[✓!✗] /.test(line));
    assert.deepEqual(lines.map((line) => line.split(':')[0]), ['✓ configuration', `✓ SMTP 127.0.0.1`, `✓ JSON store ${join(dir, 'bin', 'store.json')}`, '! SPF for example.invalid', '! DMARC for example.invalid', '! DKIM for example.invalid', '✓ test mail to bin@example.org']);
    assert.match(stdout, /! SPF for example\.invalid: could not look up \(no network\?\)/);
    assert.deepEqual((await sink.nextMail()).envelopeTo, ['bin@example.org']);
    await assert.rejects(run(process.execPath, [CLI_FILE, 'doctor', '--bogus'], { env }), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 2);
      assert.match(error.stderr, /usage: passwordless-login doctor/);
      return true;
    });
  });
});
