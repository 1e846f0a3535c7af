/**
 * Changes queued per key within one process: a task runs after every earlier task on the same
 * key has settled. The compare-and-set stores (Redis, PostgreSQL) use it so that only another
 * instance can make a change lose its race and run again: 200 concurrent changes to one key in
 * one process cost 200 round trips, not 200².
 */
export class KeyQueue {
  /** Per key, the tail of the tasks queued. */
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const run = previous.then(task);
    const tail = run.catch(() => {});
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return run;
  }
}

/** A short random pause after losing a race to another instance, growing with each loss (ms: up to 10). */
export function backOff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 10)));
}
