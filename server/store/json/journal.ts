/**
 * An append-only journal of whole-record changes, one JSON object per line, with group commit:
 * changes that arrive while a flush is on disk wait for the next one and share a single
 * `write` + `fdatasync`. A change is acknowledged (its promise resolves) only once its line is
 * synced, so what a request was told survives `kill -9`; the cost of a write does not depend on
 * how many records the store holds.
 */
import { open, readdir, type FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { readLines } from './line-reader.ts';

/** The journal of one generation, beside the snapshot `file` that names it. */
export const journalPath = (file: string, generation: number) => `${file}.journal-${generation}.jsonl`;

/** The generation of each journal beside `file`, from its name. */
export async function journalGenerations(file: string): Promise<number[]> {
  const prefix = `${basename(file)}.journal-`;
  const names = await readdir(dirname(file));
  return names.flatMap((name) => {
    const match = name.startsWith(prefix) ? /^(\d+)\.jsonl$/.exec(name.slice(prefix.length)) : null;
    return match ? [Number(match[1])] : [];
  });
}

/**
 * What a start replays, in order: `first` (the snapshot's journal, read even when absent) and every
 * later generation on disk (what a compaction that failed or was cut short had already acknowledged).
 */
export async function journalsFrom(file: string, first: number): Promise<number[]> {
  const later = (await journalGenerations(file)).filter((generation) => generation > first).sort((a, b) => a - b);
  return [first, ...later];
}

export type JournalEntry =
  | { op: 'login'; key: string; value: unknown }
  | { op: 'user'; key: string; value: unknown }
  | { op: 'session'; key: string; value: unknown }
  | { op: 'passkey'; key: string; value: unknown }
  // `key` was claimed (a spent challenge) until `value`, ms since the epoch. A null is read as a
  // removal, as for the other ops; the sweep writes none (it drops claims in a new snapshot).
  | { op: 'claim'; key: string; value: number | null }
  // Every session of the user `key` ended: `value` lists their token hashes. One line, so a crash
  // keeps all of a revoke or none of it (a torn last line is cut off, never half replayed).
  | { op: 'revoke'; key: string; value: string[] }
  // The user `key` (an id) was erased (Store.deleteUser): the user and the login state of their
  // address (found by the id as the line is applied, so the line itself holds no address), the
  // sessions and the passkeys listed. One line: a crash keeps all of the erasure or none of it.
  | { op: 'erase'; key: string; value: ErasedRecords }
  // The user at the email key `key` moved to another address (Store.changeUserEmail): `value` is
  // the whole record under its new key. One line, so a crash keeps both halves of the move or neither.
  | { op: 'move'; key: string; value: unknown };

/** What an `erase` line removes besides the user and their login state. */
export interface ErasedRecords {
  sessions: string[];
  passkeys: string[];
}

const OPS: ReadonlySet<string> = new Set<JournalEntry['op']>(['login', 'user', 'session', 'passkey', 'claim', 'revoke', 'erase', 'move']);

const isErased = (value: unknown): boolean => {
  const records = value as ErasedRecords | null;
  return typeof records === 'object' && records !== null && Array.isArray(records.sessions) && Array.isArray(records.passkeys)
    && [...records.sessions, ...records.passkeys].every((item) => typeof item === 'string');
};

const isMovedUser = (value: unknown): boolean => {
  const user = value as { id?: unknown; emailKey?: unknown } | null;
  return typeof user === 'object' && user !== null && typeof user.id === 'string' && typeof user.emailKey === 'string';
};

/**
 * The line of a change whose value is already JSON text (the store keeps records as text): the
 * same bytes as `JSON.stringify(entry)`, without serializing the record a second time.
 */
export function entryLine(op: 'login' | 'user' | 'session' | 'passkey', key: string, valueText: string | null): string {
  return `{"op":"${op}","key":${JSON.stringify(key)},"value":${valueText ?? 'null'}}`;
}

interface Waiting {
  line: string;
  resolve: () => void;
  reject: (error: Error) => void;
}

export class Journal {
  readonly path: string;
  #file: FileHandle;
  #bytes: number;
  /** Bytes on disk that were acknowledged: where a failed write is cut back to. */
  #synced: number;
  #queue: Waiting[] = [];
  #flushing: Promise<void> | null = null;
  /** Settles once the journal before this one is on disk (see `open`); null once it has. */
  #previousOnDisk: Promise<void> | null;

  private constructor(path: string, file: FileHandle, bytes: number, previousOnDisk: Promise<void> | null) {
    this.path = path;
    this.#file = file;
    this.#bytes = bytes;
    this.#synced = bytes;
    this.#previousOnDisk = previousOnDisk;
  }

  /**
   * `next`: a compaction's next journal, created (never an existing file: one left on disk holds
   * lines a start replays) and written at once, but whose lines are acknowledged only once
   * `previousOnDisk` settles: a line here is never acknowledged before an earlier change still on
   * its way to the previous journal (a sign-out there, then "every session ended" here).
   */
  static async open(path: string, next?: { previousOnDisk: Promise<void> }): Promise<Journal> {
    const file = await open(path, next ? 'wx' : 'a', 0o600);
    const { size } = await file.stat();
    return new Journal(path, file, size, next?.previousOnDisk ?? null);
  }

  /** Bytes in the journal, including what is queued. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Appends an entry, or a line already made by `entryLine`. */
  append(entry: JournalEntry | string): Promise<void> {
    const line = `${typeof entry === 'string' ? entry : JSON.stringify(entry)}\n`;
    this.#bytes += Buffer.byteLength(line);
    const done = new Promise<void>((resolve, reject) => this.#queue.push({ line, resolve, reject }));
    this.#flushing ??= this.#flush();
    return done;
  }

  /** Resolves once everything appended so far is on disk. */
  async drain(): Promise<void> {
    while (this.#flushing) await this.#flushing;
  }

  async close(): Promise<void> {
    await this.drain();
    await this.#file.close();
  }

  async #flush(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      const text = batch.map((w) => w.line).join('');
      try {
        // writeFile keeps writing until every byte is out (a single write may take only part).
        await this.#file.writeFile(text);
        await this.#file.datasync();
        this.#synced += Buffer.byteLength(text);
        if (this.#previousOnDisk) {
          await this.#previousOnDisk;
          this.#previousOnDisk = null;
        }
        for (const waiting of batch) waiting.resolve();
      } catch (error) {
        // A disk that filled up may have taken part of the batch: cut it off, so no fragment
        // sits in the middle of the journal once later writes succeed.
        await this.#file.truncate(this.#synced).catch(() => {});
        for (const waiting of batch) waiting.reject(error as Error);
      }
    }
    this.#flushing = null;
  }
}

export interface JournalContents {
  entries: JournalEntry[];
  /** Bytes of a last line cut off by a crash (never acknowledged), 0 if none. */
  tornBytes: number;
}

export class JournalCorruptError extends Error {}

/** Checks one line as a journal entry; `number` names it in the error. */
export function parseEntry(line: string, number: number): JournalEntry {
  let entry: JournalEntry;
  try {
    entry = JSON.parse(line) as JournalEntry;
  } catch {
    throw new JournalCorruptError(`line ${number} is not valid JSON`);
  }
  if (!entry || typeof entry.key !== 'string' || !OPS.has(entry.op) || (entry.op === 'revoke' && !Array.isArray(entry.value)) || (entry.op === 'erase' && !isErased(entry.value)) || (entry.op === 'move' && !isMovedUser(entry.value)) || (entry.op === 'claim' && entry.value !== null && typeof entry.value !== 'number')) {
    throw new JournalCorruptError(`line ${number} is not a journal entry`);
  }
  return entry;
}

/**
 * Replays a journal line by line (never the whole file in memory: it may grow to twice the
 * snapshot). A last line without its newline is a write the crash interrupted: it was never
 * acknowledged, so it is reported (for the caller to cut off) rather than trusted. Any other line
 * that does not parse is corruption, and an error naming the line.
 */
export async function replayJournal(path: string, apply: (entry: JournalEntry) => void): Promise<{ tornBytes: number }> {
  try {
    // Cut at the last newline byte, not in decoded text: a write torn inside a multi-byte
    // character decodes to U+FFFD, whose length is not the torn bytes' length.
    const { tailBytes } = await readLines(path, (line, number) => apply(parseEntry(line, number)));
    return { tornBytes: tailBytes };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { tornBytes: 0 };
    throw error;
  }
}

/** Every entry of a journal, as a list (tests read what is on disk with it). */
export async function readJournal(path: string): Promise<JournalContents> {
  const entries: JournalEntry[] = [];
  const { tornBytes } = await replayJournal(path, (entry) => entries.push(entry));
  return { entries, tornBytes };
}
