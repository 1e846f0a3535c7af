/**
 * The dev mailbox: a `MailTransport` that keeps mail in memory instead of sending it, so the whole
 * flow can be tried on one machine (the demo page lists `messages()`) and tests can read the code.
 * Only outside production: it holds live codes and links in memory for anyone who can read it.
 *
 * The code and the link are picked out of the text body, where every locale's template puts each
 * on a line of its own (see `templates/login.*.txt`).
 */
import { randomUUID } from 'node:crypto';
import type { DevMail, MailTransport, OutgoingMail } from './types.ts';

export interface DevMailboxOptions {
  /** How many messages to keep; older ones are dropped. Default 50. */
  capacity?: number;
  /** The clock for `receivedAt`. Default `() => new Date()`. */
  now?: () => Date;
}

export interface WaitForMailOptions {
  /**
   * Rejects after this many milliseconds, so a mail that never comes fails the test with a
   * sentence instead of hanging it. Default 5000.
   */
  timeoutMs?: number;
}

export interface DevMailbox extends MailTransport {
  /** The kept messages, newest first (a copy). */
  messages(): DevMail[];
  clear(): void;
  /**
   * Resolves with the next message that arrives after this call and matches `predicate`.
   * A message already kept does not count: to read mail that may have arrived already, await
   * the mailer's `idle()` and then read `messages()`.
   */
  waitForMail(predicate?: (mail: DevMail) => boolean, options?: WaitForMailOptions): Promise<DevMail>;
}

/** A line that is only digits: the code, which the templates put on a line of its own. */
const CODE_LINE = /^[ \t]*([0-9]{4,12})[ \t]*$/m;
/** A line that is only an http(s) URL: the magic link. */
const LINK_LINE = /^[ \t]*(https?:\/\/\S+)[ \t]*$/m;

/** Picks the code and the link out of a rendered text body; `null` for one that is not there. */
export function pickCodeAndLink(text: string): { code: string | null; link: string | null } {
  return { code: CODE_LINE.exec(text)?.[1] ?? null, link: LINK_LINE.exec(text)?.[1] ?? null };
}

interface Waiter {
  predicate: (mail: DevMail) => boolean;
  resolve: (mail: DevMail) => void;
}

export function createDevMailbox(options: DevMailboxOptions = {}): DevMailbox {
  const capacity = options.capacity ?? 50;
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('dev mailbox capacity must be a positive integer');
  const now = options.now ?? (() => new Date());
  /** Oldest first; `messages()` reverses. */
  let kept: DevMail[] = [];
  const waiters = new Set<Waiter>();

  return {
    async send(message: OutgoingMail): Promise<void> {
      const mail: DevMail = {
        id: randomUUID(),
        to: message.to,
        from: message.from,
        subject: message.subject,
        text: message.text,
        html: message.html,
        ...pickCodeAndLink(message.text),
        receivedAt: now().toISOString(),
      };
      kept.push(mail);
      if (kept.length > capacity) kept = kept.slice(kept.length - capacity);
      for (const waiter of waiters) {
        if (waiter.predicate(mail)) {
          waiters.delete(waiter);
          waiter.resolve(mail);
        }
      }
    },

    messages: () => kept.slice().reverse(),

    clear(): void {
      kept = [];
    },

    waitForMail(predicate = () => true, { timeoutMs = 5000 } = {}): Promise<DevMail> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`dev mailbox: no matching mail within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter: Waiter = {
          predicate,
          resolve: (mail) => {
            clearTimeout(timer);
            resolve(mail);
          },
        };
        waiters.add(waiter);
      });
    },
  };
}
