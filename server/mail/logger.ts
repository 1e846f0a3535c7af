/**
 * The logger the mail module writes to. Structural, so pino (`logger.info(obj, msg)`), a wrapper
 * around the server's own logger or a test spy fits without an adapter.
 */
export interface MailLogger {
  info(fields: Record<string, unknown>, message?: string): void;
  warn(fields: Record<string, unknown>, message?: string): void;
  error(fields: Record<string, unknown>, message?: string): void;
}

type Level = keyof MailLogger;

/** One JSON object per line: `{"time":…,"level":"error","msg":…,…fields}`; errors and warnings to stderr. */
export function jsonLineLogger(
  write: (level: Level, line: string) => void = (level, line) =>
    (level === 'info' ? process.stdout : process.stderr).write(line + '\n'),
): MailLogger {
  const log = (level: Level) => (fields: Record<string, unknown>, message?: string) =>
    write(level, JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields }));
  return { info: log('info'), warn: log('warn'), error: log('error') };
}
