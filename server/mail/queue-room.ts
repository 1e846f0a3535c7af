/**
 * Room in a mailer's bounded queue, taken before a request promises a mail: the login service
 * reserves a place (`reserve`) before it writes anything about the address, and answers
 * `503 mail_busy` with `Retry-After` when there is none, so no request is told "we sent a code"
 * for a mail that the queue would then drop. A reservation counts as queued until it is used
 * (`send`) or given back (`release`), so 50 requests in flight at once cannot all take the last
 * place.
 *
 * `Retry-After` is the time the queue needs to send what it holds now, at the rate mails settled
 * (sent, failed or given up) over the last 10 s, bounded to 1–60 s: by then every mail promised
 * before has gone, so those who were refused together find room together. At least 1 s, the
 * header's unit; at most 60 s, the resend wait people already know, and farther ahead than 10 s
 * of history can say anything about (with nothing settled in the window: 60 s). See
 * docs/operations.md#mail-in-production.
 *
 * Refusals are logged at most once per 10 s (`warn`, with how many since the last line), and
 * once more when the queue takes mail again, so a flood of requests is a few lines, not one each.
 */
import type { Logger } from '../observability/logger.ts';
import type { Mail, MailReservation } from './types.ts';

/** Mails accepted and not yet settled beyond which requests are answered 503 (`MAIL_QUEUE_SIZE`). */
export const DEFAULT_MAX_QUEUED = 10_000;
export const RETRY_AFTER_MIN_SECONDS = 1;
export const RETRY_AFTER_MAX_SECONDS = 60;
/** How far back the drain rate looks: long enough to smooth SMTP's bursts, short enough to follow a slowdown. */
const RATE_WINDOW_SECONDS = 10;
const REFUSAL_LOG_INTERVAL_MS = 10_000;

export interface QueueRoomOptions {
  /** Mails the queue may hold, reservations included. */
  capacity: number;
  /** Mails accepted (dispatched with room) and not yet settled. */
  queued: () => number;
  /** Hands over a mail that has its place: it is never dropped for want of room. */
  accept: (mail: Mail) => void;
  /** Whether the mailer has closed: it takes no more mail, and a reservation is refused. */
  closed: () => boolean;
  now: () => number;
  logger: Logger;
}

export interface QueueRoom {
  reserve(): MailReservation;
  /** Whether a mail dispatched now (without a reservation) would go past the bound. */
  full(): boolean;
  /** `count` mails reached an outcome: they free their places and make the drain rate. */
  settled(count: number): void;
  /** Mails settled per second over the last 10 s (or since the start, when younger). */
  drainRate(): number;
}

/** Seconds until the queue has sent `backlog` mails at `perSecond`, bounded (see above). */
export function retryAfterSeconds(backlog: number, perSecond: number): number {
  if (!(perSecond > 0)) return RETRY_AFTER_MAX_SECONDS;
  return Math.min(RETRY_AFTER_MAX_SECONDS, Math.max(RETRY_AFTER_MIN_SECONDS, Math.ceil(backlog / perSecond)));
}

export function createQueueRoom(options: QueueRoomOptions): QueueRoom {
  const { capacity, queued, accept, closed, now, logger } = options;
  const startedAt = now();
  /** Mails settled per whole second, one slot per second of the window: [second, count]. */
  const slots: [number, number][] = Array.from({ length: RATE_WINDOW_SECONDS }, () => [-1, 0]);
  let held = 0;
  let refused = 0;
  let lastRefusalLog = -Infinity;

  const drainRate = () => {
    const second = Math.floor(now() / 1000);
    let count = 0;
    for (const [at, n] of slots) if (at > second - RATE_WINDOW_SECONDS) count += n;
    const seconds = Math.min(RATE_WINDOW_SECONDS, Math.max(1, (now() - startedAt) / 1000));
    return count / seconds;
  };

  function log(level: keyof Logger, entry: { msg: string } & Record<string, unknown>): void {
    try {
      logger[level]({ event: 'mail_queue', ...entry });
    } catch {
      // The logger itself failed: nothing left to tell.
    }
  }

  function refuse(): MailReservation {
    const backlog = queued() + held;
    const perSecond = drainRate();
    const retryAfter = retryAfterSeconds(backlog, perSecond);
    refused += 1;
    const at = now();
    if (at - lastRefusalLog >= REFUSAL_LOG_INTERVAL_MS) {
      lastRefusalLog = at;
      const why = closed() ? 'the mailer is closed' : 'the mail queue is full';
      log('warn', { msg: `code requests answered 503 mail_busy: ${why}`, refused, queued: backlog, capacity, perSecond: Math.round(perSecond * 10) / 10, retryAfter });
      refused = 0;
    }
    return { busy: true, retryAfter };
  }

  return {
    full: () => queued() + held >= capacity,
    drainRate,
    settled(count) {
      const second = Math.floor(now() / 1000);
      const slot = slots[second % RATE_WINDOW_SECONDS]!;
      if (slot[0] !== second) slot.splice(0, 2, second, 0);
      slot[1] += count;
    },
    reserve() {
      if (closed() || queued() + held >= capacity) return refuse();
      if (lastRefusalLog > -Infinity) {
        // The end of an episode: the last refusals not yet logged, and that mail is taken again.
        log('info', { msg: 'the mail queue takes mail again', refused, queued: queued() + held, capacity });
        lastRefusalLog = -Infinity;
        refused = 0;
      }
      held += 1;
      let open = true;
      const close = () => {
        if (open) held -= 1;
        const was = open;
        open = false;
        return was;
      };
      return {
        busy: false,
        send(mail) {
          if (close()) accept(mail);
        },
        release() {
          close();
        },
      };
    },
  };
}
