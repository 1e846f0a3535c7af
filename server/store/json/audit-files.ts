/**
 * The JSON store's audit trail and daily counts, kept beside the data file and never in the
 * in-memory snapshot (100,000 users must stay under 150 MB of RSS; a 90-day trail of a busy site
 * is millions of entries):
 *
 *   <data file>.audit/2026-12-07.jsonl     one entry per line, one file per UTC day, append-only
 *   <data file>.audit/daily-counts.json    {"2026-12-07":{"sign_in:code":12,…},…}: one record a day
 *
 * - Durability: a day file is appended with the journal's habits (journal.ts: group commit, one
 *   `write` + `fdatasync` per batch, resolved once on disk); a new day file's directory entry is
 *   synced. A crash can leave a torn last line, never acknowledged: it is cut off before the file
 *   is appended to again, and a reader skips it. The counts file is replaced durably (temporary
 *   file, fsync, rename: durable-file.ts) on each `addDailyCounts`, about once a second at most.
 * - Retention: `sweep` deletes whole day files older than the day holding `before`, so an entry
 *   outlives its retention by less than a day; counts of those days go too.
 * - Cost: listing reads day files newest first until the page is full (the newest 50: 5 to 8 ms).
 *   One user's entries are found by reading every day file back to the page's last match (lines
 *   matched by their text, only those parsed): a user with few entries costs a read of the whole
 *   trail, 60 to 250 ms for 100,000 entries (15 MB) over 90 days (bench/audit-trail.ts), in 1 MB pieces that each hold the
 *   event loop a few ms; an operator's page, rare. Nothing of it stays in memory.
 * - Erasure: `deleteUser` leaves the entries, which name the user by id only.
 */
import { mkdir, readdir, readFile, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { syncDirectory, writeFileDurably } from './durable-file.ts';
import { Journal } from './journal.ts';
import { readLines } from './line-reader.ts';
import { auditRecord, checkAuditQuery, checkCounts, dayOf, daysBetween } from '../audit-records.ts';
import { StoreError, type AuditQuery, type AuditRecord, type DailyCounts } from '../types.ts';

const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;
const COUNTS_FILE = 'daily-counts.json';
const CountsShape = z.record(z.string(), z.record(z.string(), z.number()));

export class AuditFiles {
  readonly dir: string;
  /** The day file being appended to (one at a time: entries come in order of time, near enough). */
  #open: { day: string; journal: Journal } | null = null;
  /** Opening and closing day files, one at a time; the lines themselves are written by the journal's group commit. */
  #chain: Promise<unknown> = Promise.resolve();
  #counts: DailyCounts;
  #savingCounts: Promise<void> = Promise.resolve();

  private constructor(dir: string, counts: DailyCounts) {
    this.dir = dir;
    this.#counts = counts;
  }

  /** `file`: the data file; the directory is created (readable by us only) if missing. */
  static async open(file: string): Promise<AuditFiles> {
    const dir = `${file}.audit`;
    await mkdir(dir, { recursive: true, mode: 0o700 }).catch((error: Error) => {
      throw new StoreError(`Cannot create the audit directory ${dir}: ${error.message}`);
    });
    const path = join(dir, COUNTS_FILE);
    let counts: DailyCounts = {};
    try {
      const parsed = CountsShape.safeParse(JSON.parse(await readFile(path, 'utf8')));
      if (!parsed.success) throw new Error('not a record of days and counters');
      counts = parsed.data;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new StoreError(`The daily counts ${path} cannot be read (${(error as Error).message}). It was left untouched: restore it from a backup or move it away.`);
    }
    return new AuditFiles(dir, counts);
  }

  async append(records: AuditRecord[]): Promise<void> {
    const byDay = new Map<string, string[]>();
    for (const record of records.map(auditRecord)) {
      const day = dayOf(record.at);
      const lines = byDay.get(day) ?? [];
      lines.push(JSON.stringify(record));
      byDay.set(day, lines);
    }
    const queued = this.#serially(async () => {
      const written: Promise<void>[] = [];
      for (const [day, lines] of byDay) {
        const journal = await this.#journalFor(day);
        written.push(...lines.map((line) => journal.append(line)));
      }
      return written;
    });
    await Promise.all(await queued);
  }

  #serially<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#chain.then(work);
    this.#chain = result.catch(() => {});
    return result;
  }

  async list(query: AuditQuery): Promise<AuditRecord[]> {
    const { userId, before, limit } = checkAuditQuery(query);
    const lastDay = Number.isFinite(before) ? dayOf(before) : null;
    const found: AuditRecord[] = [];
    for (const day of (await this.#days()).reverse()) {
      if (lastDay !== null && day > lastDay) continue;
      let ofDay: AuditRecord[] = [];
      // Later lines first, then by time: the same millisecond keeps "the later appended first".
      const newestFirst = (records: AuditRecord[]) => records.reverse().sort((a, b) => b.at - a.at);
      const need = limit - found.length;
      // A user's lines are found by their text first, and only those parsed (as the sessions' scan does).
      await this.#readDay(day, (record) => {
        if (!(record.at < before && (userId === null || record.userId === userId))) return;
        ofDay.push(record);
        // Only the newest `need` of the day can be answered: at twice that, the rest go, so a day
        // of a busy site (100,000 lines) is held `2 × limit` (at most 400) entries at a time.
        if (ofDay.length >= 2 * need) ofDay = newestFirst(ofDay).slice(0, need).reverse();
      }, userId === null ? null : `"userId":${JSON.stringify(userId)}`);
      found.push(...newestFirst(ofDay));
      if (found.length >= limit) break;
    }
    return found.slice(0, limit);
  }

  /** Deletes the day files before `before`'s day; returns how many entries they held. */
  async sweep(before: number): Promise<number> {
    const cutoff = dayOf(before);
    let removed = 0;
    for (const day of await this.#days()) {
      if (day >= cutoff) break;
      // In turn with the appends: an old entry appended meanwhile (a migration) goes with its file or after it.
      await this.#serially(async () => {
        if (this.#open?.day === day) await this.#closeOpen();
        const path = this.#dayPath(day);
        // Counted, not parsed: whole lines only (a torn one was never an entry).
        await readLines(path, () => void (removed += 1)).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        });
        await rm(path, { force: true });
      });
    }
    const oldDays = Object.keys(this.#counts).filter((day) => day < cutoff);
    if (oldDays.length > 0) {
      for (const day of oldDays) delete this.#counts[day];
      await this.#saveCounts();
    }
    return removed;
  }

  async addCounts(day: string, counts: Record<string, number>): Promise<void> {
    const added = checkCounts(day, counts);
    if (added.length === 0) return;
    const ofDay = (this.#counts[day] ??= {});
    for (const [key, amount] of added) ofDay[key] = (ofDay[key] ?? 0) + amount;
    try {
      await this.#saveCounts();
    } catch (error) {
      // Not on disk: take it back, so the caller's retry does not count it twice.
      for (const [key, amount] of added) ofDay[key] = ofDay[key]! - amount;
      throw error;
    }
  }

  listCounts(fromDay: string, toDay: string): DailyCounts {
    const result: DailyCounts = {};
    for (const day of daysBetween(fromDay, toDay)) if (this.#counts[day]) result[day] = { ...this.#counts[day] };
    return result;
  }

  /** Every entry, oldest day first (the migration copies them), a day's worth at a time. */
  async *entries(): AsyncGenerator<AuditRecord[]> {
    for (const day of await this.#days()) {
      const ofDay: AuditRecord[] = [];
      await this.#readDay(day, (record) => void ofDay.push(record));
      yield ofDay;
    }
  }

  allCounts(): DailyCounts {
    return structuredClone(this.#counts);
  }

  async close(): Promise<void> {
    await this.#serially(() => this.#closeOpen());
    await this.#savingCounts.catch(() => {});
  }

  #dayPath(day: string): string {
    return join(this.dir, `${day}.jsonl`);
  }

  async #days(): Promise<string[]> {
    const names = await readdir(this.dir);
    return names.flatMap((name) => DAY_FILE.exec(name)?.[1] ?? []).sort();
  }

  /** `needle`: only lines holding this text are parsed and passed on. */
  async #readDay(day: string, onRecord: (record: AuditRecord) => void, needle: string | null = null): Promise<void> {
    const path = this.#dayPath(day);
    try {
      // A torn last line (a crash mid-write, never acknowledged) is not passed on.
      await readLines(path, (line, number) => {
        if (needle !== null && !line.includes(needle)) return;
        try {
          onRecord(JSON.parse(line) as AuditRecord);
        } catch {
          throw new StoreError(`The audit file ${path} is damaged at line ${number}: restore it from a backup or move it away.`);
        }
      });
    } catch (error) {
      // Swept meanwhile: nothing to read.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  /** The journal of one day file, opened once (and the previous day's closed); run serially. */
  async #journalFor(day: string): Promise<Journal> {
    if (this.#open?.day === day) return this.#open.journal;
    try {
      await this.#closeOpen();
      const path = this.#dayPath(day);
      const existed = await stat(path).then(() => true, () => false);
      if (existed) {
        // Appending after a torn line would glue the next entry to it: cut it first.
        const { tailBytes } = await readLines(path, () => {});
        if (tailBytes > 0) await truncate(path, (await stat(path)).size - tailBytes);
      }
      const journal = await Journal.open(path);
      // The new file's name lives in the directory: synced, or a crash could forget the file.
      if (!existed) await syncDirectory(this.dir);
      this.#open = { day, journal };
      return journal;
    } catch (error) {
      throw new StoreError(`Cannot write the audit file ${this.#dayPath(day)}: ${(error as Error).message}`);
    }
  }

  async #closeOpen(): Promise<void> {
    const open = this.#open;
    this.#open = null;
    await open?.journal.close();
  }

  /** One durable write after the one in progress: it holds every change made before it starts. */
  #saveCounts(): Promise<void> {
    const path = join(this.dir, COUNTS_FILE);
    const saving = this.#savingCounts.catch(() => {}).then(() => writeFileDurably(path, JSON.stringify(this.#counts)));
    this.#savingCounts = saving;
    return saving;
  }
}
