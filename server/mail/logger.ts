/**
 * The logger the mailer writes to: the same shape as the server's `Logger` (`server/logger.ts`),
 * one object per entry with its sentence in `msg`, so the server passes its own logger as is.
 * Declared here rather than imported so the mail module stands on its own.
 */
export type MailLogEntry = { msg: string } & Record<string, unknown>;

export interface MailLogger {
  info(entry: MailLogEntry): void;
  warn(entry: MailLogEntry): void;
  error(entry: MailLogEntry): void;
}

/** The mailer's fallback when given no logger: one JSON object per line on stderr. */
export function stderrMailLogger(): MailLogger {
  const log = (level: string) => (entry: MailLogEntry) =>
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, ...entry })}\n`);
  return { info: log('info'), warn: log('warn'), error: log('error') };
}
