#!/usr/bin/env node
/**
 * The operators' command, the package's `bin`: `npx passwordless-login serve`. Settings come from
 * the environment (environment.ts; each variable in the repository's docs/configuration.md).
 */
import { loadConfig } from './environment.ts';
import { runCommand } from './run-command.ts';
import { serve } from './serve.ts';
import { DOCTOR_USAGE, MIGRATE_TO_REDIS_USAGE, MIGRATE_USAGE, USERS_USAGE } from './usage.ts';

// doctor, migrate and users are imported only when they run: they load the clients of every store
// (ioredis, pg), which `serve` on the JSON store never uses (RSS after start: see the commit).

const USAGE = `usage:
  passwordless-login serve              the backend: the API, the magic-link page, the element's script
  ${DOCTOR_USAGE}
                                        checks the settings, SMTP, the store and the mail domain's
                                        SPF, DKIM and DMARC, one line each; exit 1 if one failed
  ${MIGRATE_USAGE}
                                        copies every record of one store into another (a JSON
                                        file, Redis or PostgreSQL); refuses a target that holds
                                        records unless --force; prints the counts
  ${MIGRATE_TO_REDIS_USAGE}
                                        the same, into Redis (kept for older command lines)
  ${USERS_USAGE}
                                        the users of the store serve would open: a page of them,
                                        one user's sessions and passkeys, erasure (asks on a
                                        terminal; --yes in a script), their data as JSON
  passwordless-login help               this text

Settings are environment variables. The main ones: PORT and HOST (where serve listens), PUBLIC_URL,
SECRET, DATA_FILE, REDIS_URL or DATABASE_URL, SMTP_URL and MAIL_FROM, ALLOWED_ORIGINS, REDIRECT_URLS, NODE_ENV,
SMTP_CHECK (required or warn: what serve does when SMTP fails its check at start).
Every one, with its default: docs/configuration.md in the passwordless-login repository.
`;

const [command, ...args] = process.argv.slice(2);
// The line an unexpected failure starts with: for serve a failed start, for the rest a failure.
const failurePrefix = command === 'serve' ? 'Failed to start' : 'Failed';

runCommand(async () => {
  switch (command) {
    case 'serve': {
      if (args.length > 0) return usageError(`"serve" takes no arguments (got ${args.join(' ')}): its settings are environment variables.`);
      const config = loadConfig();
      const backend = await serve(config);
      // Without the repository's demo nothing shows the dev mailbox: say where the codes went.
      if (!config.smtpUrl) backend.logger.warn({ msg: 'no SMTP_URL: login mails go to an in-memory dev mailbox that this command does not show; set SMTP_URL to send them' });
      return;
    }
    case 'doctor':
      return (await import('./doctor.ts')).doctor(args);
    case 'migrate':
      return (await import('./migrate.ts')).migrate(args);
    case 'migrate-to-redis':
      return (await import('./migrate.ts')).migrate(args, { command: 'migrate-to-redis' });
    case 'users':
      return (await import('./users.ts')).users(args);
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    default:
      return usageError(command === undefined ? '' : `Unknown command "${command}".`);
  }
}, failurePrefix);

/** A wrong command line: the reason, the usage, exit code 2. */
function usageError(reason: string): number {
  process.stderr.write(reason ? `${reason}\n\n${USAGE}` : USAGE);
  return 2;
}
