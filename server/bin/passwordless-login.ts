#!/usr/bin/env node
/**
 * The operators' command, the package's `bin`: `npx passwordless-login serve`. Settings come from
 * the environment (environment.ts; every variable in docs/configuration.md).
 */
import { migrateToRedis, MIGRATE_USAGE } from './migrate-to-redis.ts';
import { loadConfig } from './environment.ts';
import { runCommand } from './run-command.ts';
import { serve } from './serve.ts';

const USAGE = `usage:
  passwordless-login serve              the backend: API, magic-link page, element script (PORT, HOST, …)
  ${MIGRATE_USAGE}
  passwordless-login help               this text

Settings are environment variables, each described in the project's docs/configuration.md.
`;

const [command, ...args] = process.argv.slice(2);

runCommand(async () => {
  switch (command) {
    case 'serve':
      await serve(loadConfig());
      return;
    case 'migrate-to-redis':
      return migrateToRedis(args);
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(command === undefined ? USAGE : `Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
});
