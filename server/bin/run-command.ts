/**
 * Runs a command of the command line and turns its failure into one line on stderr that says
 * what to fix, no stack trace, for the failures an operator causes (a bad setting, an unreadable
 * store, a taken port, an SMTP server that fails its check, a refused migration; a configuration
 * with several bad settings lists each on a line of its own); anything else is a bug and keeps its stack, after
 * the command's own prefix (`Failed to start:` for serve).
 */
import { ConfigError } from '../config.ts';
import { MigrationError } from '../store/migration/copy-records.ts';
import { StoreError } from '../store/types.ts';
import { SmtpCheckFailed } from './serve.ts';

/**
 * Exits with the command's code once it resolves with one; a command that serves resolves with
 * nothing and keeps running. `failurePrefix` starts the line of an unexpected failure.
 */
export function runCommand(command: () => Promise<number | void>, failurePrefix = 'Failed'): void {
  command().then(
    (code) => {
      if (code !== undefined) process.exit(code);
    },
    (error: unknown) => {
      process.stderr.write(`${describeFailure(error, failurePrefix)}\n`);
      process.exit(1);
    },
  );
}

function describeFailure(error: unknown, failurePrefix: string): string {
  // Every problem at once; one alone stays one line.
  if (error instanceof ConfigError) return `Configuration error: ${error.message}`;
  if (error instanceof StoreError) return `Store error: ${error.message}`;
  if (error instanceof SmtpCheckFailed) return `SMTP check failed: ${error.message}`;
  if (error instanceof MigrationError) return `Migration failed: ${error.message}`;
  if ((error as NodeJS.ErrnoException)?.code === 'EADDRINUSE') return `Cannot listen: ${(error as Error).message}. Set PORT to a free port.`;
  return `${failurePrefix}: ${(error as Error)?.stack ?? String(error)}`;
}
