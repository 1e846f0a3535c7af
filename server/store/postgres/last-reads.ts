/**
 * What the last read of a row saw, kept so that the compare-and-set that usually follows it can
 * write at once instead of reading the row again: a sign-in request reads the user and then
 * changes the login state of the same address, and a verify reads the user and then writes it.
 * That read costs a round trip of its own (PostgreSQL: request 3 → 2 statements, verify 6 → 5).
 *
 * A kept read is only ever a first guess. The write it leads to names the version it saw, so a
 * row that changed since (another instance, or this one) writes nothing and the change runs again
 * on a fresh read; the store never answers from it alone (postgres-store.ts). So how old an entry
 * is does not matter for correctness, and the map is bounded by count only: at most 512 entries,
 * the oldest going first (a read that no write follows, such as an admin's lookup, is simply
 * dropped). Each entry is taken once.
 */
const MAX_ENTRIES = 512;

/** `null`: the read found no row. */
export class LastReads<T> {
  readonly #entries = new Map<string, T | null>();

  keep(key: string, seen: T | null): void {
    this.#entries.delete(key);
    this.#entries.set(key, seen);
    if (this.#entries.size > MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!);
  }

  /** The read kept for `key`, removed; `undefined` when there is none. */
  take(key: string): T | null | undefined {
    const seen = this.#entries.get(key);
    this.#entries.delete(key);
    return seen;
  }

  get size(): number {
    return this.#entries.size;
  }
}
