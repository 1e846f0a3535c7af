/**
 * The asking browser's long poll (`POST /approval/wait`) and the phone's approve, tied together
 * by the wake-up channel (wake-up.ts). A wait looks at the store (LoginService.checkApproval: it
 * also marks the browser seen), then sleeps until a wake, 5 s, or the end of the poll, and looks
 * again; it answers `waiting` after 25 s so the browser asks again (a proxy's idle timeout is
 * commonly 30 to 60 s, and a new request survives a reconnect). It ends at the code's expiry
 * (the check answers `expired_code`) and at a shutdown (`close()`: every wait answers `waiting`
 * at once, so the server's close is not held for 25 s).
 *
 * Cost: one store change per look (every 5 s, or on a wake), no timer past the poll, and at most
 * `perIp` waits at once from one client IP (in this instance), so a client cannot hold open
 * connections without bound; and at most `6 × perIp` waits begun per minute from one IP, so a
 * client that hangs up and asks again in a loop cannot turn each first look into a store write
 * as fast as it can connect (one browser begins 2.4 a minute: one per 25 s poll).
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ApiError } from '../../contract/index.ts';
import { rateLimited } from '../login/login-error.ts';
import type { ApprovalCheck, LoginService } from '../login/login-service.ts';
import type { WakeUp } from './wake-up.ts';

/** How long one poll waits at most: under the 30 s idle timeout of common proxies and load balancers. */
export const WAIT_POLL_MS = 25_000;
/** How often a wait looks at the store without a wake: a lost wake delays the sign-in by at most this. */
export const WAIT_RECHECK_MS = 5_000;
/** Waits at once per client IP: a household behind one address has a few devices, not dozens. */
export const WAITS_PER_IP = 10;

export interface ApprovalWaitsOptions {
  service: LoginService;
  wakeUp: WakeUp;
  /** Waits at once per client IP; null lifts the cap (RATE_LIMITS=off). Default WAITS_PER_IP. */
  perIp?: number | null;
  pollMs?: number;
  recheckMs?: number;
  /** Told of each wait refused by a per-IP cap (`passwordless_rate_limited_total{scope="ip"}`). */
  onRateLimited?: () => void;
}

export type ApprovalWaitOutcome = ApprovalCheck;

export class ApprovalWaits {
  readonly #service: LoginService;
  readonly #wakeUp: WakeUp;
  readonly #perIp: number | null;
  readonly #pollMs: number;
  readonly #recheckMs: number;
  readonly #onRateLimited: () => void;
  readonly #byIp = new Map<string, number>();
  readonly #begun: RateLimiterMemory | null;
  /** Ends each wait in progress: called by `close()`. */
  readonly #inProgress = new Set<() => void>();
  #closed = false;
  #asleep = 0;

  constructor(options: ApprovalWaitsOptions) {
    this.#service = options.service;
    this.#wakeUp = options.wakeUp;
    this.#perIp = options.perIp === undefined ? WAITS_PER_IP : options.perIp;
    this.#pollMs = options.pollMs ?? WAIT_POLL_MS;
    this.#recheckMs = options.recheckMs ?? WAIT_RECHECK_MS;
    this.#onRateLimited = options.onRateLimited ?? (() => {});
    this.#begun = this.#perIp === null ? null : new RateLimiterMemory({ keyPrefix: 'approval-wait', points: 6 * this.#perIp, duration: 60 });
  }

  /** Waits in progress (all clients). */
  get size(): number {
    return this.#inProgress.size;
  }

  /** Waits asleep between two looks at the store: a wake now is what ends their sleep. */
  get asleep(): number {
    return this.#asleep;
  }

  /** The phone's right number or wrong one (LoginService.approveLogin); either wakes the waits on every instance. */
  async approve(token: string, number: number): Promise<void> {
    const sequenceId = await this.#service.approveLogin(token, number, (refused) => this.#wakeUp.wake(refused));
    await this.#wakeUp.wake(sequenceId);
  }

  /**
   * One poll of the asking browser: its session once approved (made exactly once), `refused`, or
   * `waiting` after the poll's time. `clientKey` counts it against the per-IP cap (null: a call
   * from the host's server code); `signal` aborted ends it at once without looking again (the
   * client hung up, so a session made now would be lost; it collects on its next poll).
   */
  async wait(id: string, secret: string, clientKey: string | null, signal?: AbortSignal, secondFactorKey?: string): Promise<ApprovalWaitOutcome> {
    const ticket = this.#service.openApproval(id, secret);
    await this.#countBegun(clientKey);
    // After the await: an abort while the count was taken would otherwise be missed (the listener
    // below is not there yet), and the wait would run its whole 25 s.
    if (this.#closed || signal?.aborted) return { status: 'waiting' };
    const release = this.#take(clientKey);
    let wake: () => void = () => {};
    let woken = false;
    // Listening before the first look: a wake between the look and the sleep is not lost.
    const stopListening = this.#wakeUp.listen(ticket.sequenceId, () => {
      woken = true;
      wake();
    });
    let ended = false;
    const end = () => {
      ended = true;
      wake();
    };
    this.#inProgress.add(end);
    signal?.addEventListener('abort', end);
    const until = Date.now() + this.#pollMs;
    try {
      for (;;) {
        woken = false;
        const check: ApprovalCheck = await this.#service.checkApproval(ticket, secondFactorKey);
        if (check.status !== 'waiting') return check;
        const left = until - Date.now();
        if (ended || left <= 0) return check;
        if (!woken) {
          this.#asleep += 1;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, Math.min(left, this.#recheckMs));
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = () => {};
          this.#asleep -= 1;
        }
        if (ended) return { status: 'waiting' };
      }
    } finally {
      this.#inProgress.delete(end);
      signal?.removeEventListener('abort', end);
      stopListening();
      release();
    }
  }

  /** Ends every wait (each answers `waiting`: its browser asks again, elsewhere) and refuses new ones. */
  close(): void {
    this.#closed = true;
    for (const end of [...this.#inProgress]) end();
  }

  /** One more wait begun by the client this minute, or a 429 past `6 × perIp`. */
  async #countBegun(clientKey: string | null): Promise<void> {
    if (clientKey === null || !this.#begun) return;
    try {
      await this.#begun.consume(clientKey);
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) {
        this.#onRateLimited();
        throw rateLimited(refusal.msBeforeNext / 1000, ApiError.tooManyWaits);
      }
      throw refusal;
    }
  }

  /** A place among the client's waits, or a 429 when it holds `perIp` already. */
  #take(clientKey: string | null): () => void {
    if (clientKey === null || this.#perIp === null) return () => {};
    const held = this.#byIp.get(clientKey) ?? 0;
    if (held >= this.#perIp) {
      this.#onRateLimited();
      throw rateLimited(this.#pollMs / 1000, ApiError.tooManyWaits);
    }
    this.#byIp.set(clientKey, held + 1);
    return () => {
      const left = (this.#byIp.get(clientKey) ?? 1) - 1;
      if (left === 0) this.#byIp.delete(clientKey);
      else this.#byIp.set(clientKey, left);
    };
  }
}
