/**
 * What the last read of a row saw, kept so that the compare-and-set that usually follows it can
 * write at once instead of reading the row again: a sign-in request reads the user and then
 * changes the login state of the same address, and a verify reads the user and then writes it.
 * That read costs a round trip of its own (PostgreSQL: request 3 → 2 statements, verify 6 → 5).
 *
 * A kept read is only ever a first guess. The write it leads to names the version it saw, so a
 * row that changed since (another instance, or this one) writes nothing and the change runs again
 * on a fresh read; the store never answers from it alone (postgres-store.ts). Each entry is taken
 * once, and kept at most 2 s (a request's read and its write are milliseconds apart): the version
 * check relies on every writer bumping `version`, and a host application's write that forgot to
 * should not meet a read hours old; an erased address's rows should not stay in memory either. At
 * most 512 entries, the oldest going first: a read that no write follows (an admin's lookup) is
 * simply dropped.
 */
const MAX_ENTRIES = 512;
const MAX_AGE_MS = 2000;

/** `null`: the read found no row. */
export class LastReads<T> {
  readonly #entries = new Map<string, { seen: T | null; at: number }>();
  readonly #now: () => number;

  /** `now`: a monotonic clock in milliseconds (tests move their own). */
  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  keep(key: string, seen: T | null): void {
    this.#entries.delete(key);
    this.#entries.set(key, { seen, at: this.#now() });
    if (this.#entries.size > MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!);
  }

  /** The read kept for `key` in the last 2 s, removed; `undefined` when there is none. */
  take(key: string): T | null | undefined {
    const entry = this.#entries.get(key);
    this.#entries.delete(key);
    return entry && this.#now() - entry.at <= MAX_AGE_MS ? entry.seen : undefined;
  }

  get size(): number {
    return this.#entries.size;
  }
}
