import type { LogEntry, Logger } from '../observability/logger.ts';

/** A logger that keeps its entries, so a test can check what was logged and that no secret was. */
export function recordingLogger(): { logger: Logger; entries: (LogEntry & { level: string })[] } {
  const entries: (LogEntry & { level: string })[] = [];
  const logger: Logger = {
    info: (entry) => entries.push({ level: 'info', ...entry }),
    warn: (entry) => entries.push({ level: 'warn', ...entry }),
    error: (entry) => entries.push({ level: 'error', ...entry }),
  };
  return { logger, entries };
}
