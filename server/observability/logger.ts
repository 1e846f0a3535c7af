/**
 * Structured logs: one JSON object per line on stderr. Callers never pass codes, tokens or full
 * email addresses; `maskEmail` keeps only what helps an operator (the domain).
 */
export interface Logger {
  info(entry: LogEntry): void;
  warn(entry: LogEntry): void;
  error(entry: LogEntry): void;
}

export type LogEntry = { msg: string } & Record<string, unknown>;

export function createJsonLogger(write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const log = (level: string) => (entry: LogEntry) => write(`${JSON.stringify({ time: new Date().toISOString(), level, ...entry })}\n`);
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** `ana@example.com` → `…@example.com`. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '…' : `…${address.slice(at)}`;
}
