/**
 * Counts down to a deadline the server sets (`retryAfter`), so "Resend" unlocks exactly when the
 * server will take the request again instead of when a client-side guess runs out.
 *
 * It re-renders its host once a second while running and stops its timer when the host leaves
 * the DOM. Time comes from an injectable {@link Clock}, so tests move time instead of sleeping.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** A source of time and timers. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: Date.now,
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface CountdownOptions {
  /** Default: {@link systemClock}. */
  clock?: Clock;
  /** Called once when a countdown reaches zero (not when it is stopped). */
  onDone?: () => void;
}

export class CountdownController implements ReactiveController {
  /** Replaceable at any time; the next tick is scheduled on the new clock. */
  clock: Clock;
  readonly #host: ReactiveControllerHost;
  readonly #onDone: (() => void) | undefined;
  #deadline: number | null = null;
  #timer: unknown = null;

  constructor(host: ReactiveControllerHost, options: CountdownOptions = {}) {
    this.#host = host;
    this.clock = options.clock ?? systemClock;
    this.#onDone = options.onDone;
    host.addController(this);
  }

  /** Whole seconds left, rounded up (so "1" shows until the very end); 0 when not running. */
  get remaining(): number {
    return this.#deadline === null ? 0 : Math.max(0, Math.ceil((this.#deadline - this.clock.now()) / 1000));
  }

  /** Starts (or restarts) a countdown of `seconds` from now. Zero or less finishes at once. */
  start(seconds: number): void {
    this.#clearTimer();
    this.#deadline = this.clock.now() + Math.max(0, seconds) * 1000;
    this.#tick();
  }

  /** Stops without calling `onDone`. */
  stop(): void {
    this.#clearTimer();
    this.#deadline = null;
    this.#host.requestUpdate();
  }

  hostConnected(): void {
    if (this.#deadline !== null && this.#timer === null) this.#tick();
  }

  hostDisconnected(): void {
    this.#clearTimer();
  }

  readonly #tick = (): void => {
    this.#timer = null;
    this.#host.requestUpdate();
    if (this.#deadline === null) return;
    const left = this.#deadline - this.clock.now();
    if (left <= 0) {
      this.#deadline = null;
      this.#onDone?.();
      return;
    }
    // Wake at the next whole-second boundary, where the displayed number changes.
    this.#timer = this.clock.setTimeout(this.#tick, left % 1000 || 1000);
  };

  #clearTimer(): void {
    if (this.#timer !== null) this.clock.clearTimeout(this.#timer);
    this.#timer = null;
  }
}
