/**
 * `passwordless-login doctor [--send-test-mail ADDRESS]` (`npm run doctor -- …` in this
 * repository): checks what the server would run with, from the same environment, and prints one
 * line per check (report.ts's marks): the configuration (every problem at once), SMTP (connect
 * and log in), the store, and the sender domain's SPF, DMARC and DKIM records. Exit 0 when no
 * line failed, 1 otherwise, 2 for wrong arguments. It changes nothing, except the one mail
 * `--send-test-mail` sends.
 */
import { parseArgs } from 'node:util';
import { ConfigError, type Config } from '../config.ts';
import { checkMailDns, type ResolveTxt } from '../doctor/mail-dns.ts';
import { anyFailed, fail, formatLine, ok, warn, type CheckLine } from '../doctor/report.ts';
import { checkJsonStore, checkPostgresStore, checkRedisStore } from '../doctor/store-check.ts';
import { checkSmtp, sendTestMail } from '../mail/smtp-probe.ts';
import { effectiveConfiguration } from './effective-config.ts';
import { loadConfig } from './environment.ts';
import { DOCTOR_USAGE } from './usage.ts';

export interface DoctorOptions {
  env?: Record<string, string | undefined>;
  /** The DNS lookups (tests stub them; there is no network there). Default node's resolver. */
  resolveTxt?: ResolveTxt;
  /** Where the lines go; default stdout. */
  write?: (text: string) => void;
}

/** Runs the checks; resolves with the exit code. */
export async function doctor(argv: string[], options: DoctorOptions = {}): Promise<number> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  let testAddress: string | undefined;
  try {
    ({ values: { 'send-test-mail': testAddress } } = parseArgs({ args: argv, options: { 'send-test-mail': { type: 'string' } } }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\nusage: ${DOCTOR_USAGE}\n`);
    return 2;
  }
  const lines: CheckLine[] = [];
  const say = (line: CheckLine) => {
    lines.push(line);
    write(`${formatLine(line)}\n`);
  };
  let config: Config;
  try {
    config = loadConfig(options.env ?? process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) say(fail(`configuration: ${problem}`));
    write('The other checks need a valid configuration: fix the lines above and run the doctor again.\n');
    return 1;
  }
  say(ok(`configuration: valid (${config.production ? 'production' : 'not production: NODE_ENV is not "production"'})`));
  for (const [key, value] of Object.entries(effectiveConfiguration(config))) write(`    ${key}: ${Array.isArray(value) ? value.join(', ') : String(value)}\n`);
  for (const warning of config.warnings) say(warn(warning));

  if (config.smtpUrl) say(await smtpLine(config.smtpUrl));
  else say(warn('SMTP: no SMTP_URL, so mail goes to the dev mailbox in the server\'s memory and never leaves: set SMTP_URL to send it'));

  say(
    config.databaseUrl
      ? await checkPostgresStore(config.databaseUrl, config.databaseSchema)
      : config.redisUrl
        ? await checkRedisStore(config.redisUrl)
        : await checkJsonStore(config.dataFile),
  );

  const domain = senderDomain(config.mailFrom);
  // `localhost` (the development default) has no public DNS to check.
  if (domain && !domain.includes('.')) say(warn(`mail domain ${domain}: not a public domain, so SPF, DKIM and DMARC are not checked: set MAIL_FROM (or PUBLIC_URL) to your domain's`));
  else if (domain) for (const line of await checkMailDns({ domain, dkim: config.dkim, resolveTxt: options.resolveTxt })) say(line);
  else say(fail(`MAIL_FROM ${JSON.stringify(config.mailFrom)} holds no address: set it like Sign-in <no-reply@example.com>`));

  if (testAddress !== undefined) {
    if (!config.smtpUrl) say(fail(`test mail to ${testAddress}: not sent, there is no SMTP_URL`));
    else {
      const sent = await sendTestMail(config.smtpUrl, { from: config.mailFrom, to: testAddress, dkim: config.dkim ?? undefined });
      say(sent.ok ? ok(`test mail to ${testAddress}: the server answered "${sent.response}"`) : fail(`test mail to ${testAddress}: ${sent.sentence}`));
    }
  }
  return anyFailed(lines) ? 1 : 0;
}

async function smtpLine(smtpUrl: string): Promise<CheckLine> {
  const check = await checkSmtp(smtpUrl);
  return check.ok ? ok(check.sentence) : fail(check.sentence);
}

/** `Sign-in <no-reply@example.com>` → `example.com`; null without an address. */
export function senderDomain(mailFrom: string): string | null {
  const address = /<([^>]*)>/.exec(mailFrom)?.[1] ?? mailFrom;
  const at = address.lastIndexOf('@');
  const domain = at < 0 ? '' : address.slice(at + 1).trim().toLowerCase();
  return domain === '' ? null : domain;
}
