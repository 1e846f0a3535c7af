/**
 * Waking the waits of one approval, across instances: the instance that approves says so, and
 * every instance with a wait on that sequence looks at the store again. Three channels, chosen by
 * the store (backend.ts): in process for the JSON store (one instance), Redis pub/sub
 * (redis-wake-up.ts) and PostgreSQL LISTEN/NOTIFY (postgres-wake-up.ts). A wake carries only the
 * sequence's id (random, not a secret of any use: the session is collected with the asking
 * browser's secret). A lost wake only delays: every wait also looks again every 5 s
 * (approval-waits.ts).
 */
export interface WakeUp {
  /** Wakes every wait on `key`, on every instance; resolves once sent (never throws: a lost wake only delays). */
  wake(key: string): Promise<void>;
  /** Calls `onWake` on each wake of `key` until the returned function is called. */
  listen(key: string, onWake: () => void): () => void;
  close(): Promise<void>;
}

/** The waits of this process, by key: what each channel delivers to. */
export class LocalWaiters {
  readonly #byKey = new Map<string, Set<() => void>>();

  listen(key: string, onWake: () => void): () => void {
    let set = this.#byKey.get(key);
    if (!set) this.#byKey.set(key, (set = new Set()));
    set.add(onWake);
    return () => {
      set.delete(onWake);
      if (set.size === 0 && this.#byKey.get(key) === set) this.#byKey.delete(key);
    };
  }

  deliver(key: string): void {
    for (const onWake of [...(this.#byKey.get(key) ?? [])]) onWake();
  }

  get size(): number {
    return this.#byKey.size;
  }
}

/** One process: a wake is delivered here and now (the JSON store serves one instance). */
export function inProcessWakeUp(): WakeUp {
  const waiters = new LocalWaiters();
  return {
    async wake(key) {
      waiters.deliver(key);
    },
    listen: (key, onWake) => waiters.listen(key, onWake),
    async close() {},
  };
}
