import type { Logger } from '../observability/logger.ts';
import { recordingLogger } from './recording-logger.ts';

/**
 * A recording logger whose `inBackoff` resolves once a mail retry is logged: the mail is then
 * waiting out its backoff, which is when a test shuts down to see that the wait does not hold it.
 */
export function loggerWithRetrySignal(): ReturnType<typeof recordingLogger> & { inBackoff: Promise<void> } {
  const { logger, entries } = recordingLogger();
  let retried: () => void = () => {};
  const inBackoff = new Promise<void>((resolve) => (retried = resolve));
  const signalling: Logger = { ...logger, warn: (entry) => (logger.warn(entry), entry.outcome === 'retrying' && retried()) };
  return { logger: signalling, entries, inBackoff };
}
