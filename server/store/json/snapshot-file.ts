/**
 * The snapshot on disk, as lowdb's adapter for the store's data (store-data.ts). Format 4 is
 * still one JSON document, but with one record per line, so it is read and written a piece at a
 * time instead of as one string:
 *
 *   {"version":4,"journal":7,"records":[
 *   {"op":"user","key":"ann@example.com","value":{…}}
 *   ,{"op":"login","key":"ann@example.com","value":{…}}
 *   ,{"op":"passkey","key":"<credential id>","value":{…}}
 *   ,{"op":"claim","key":"<claimed key>","value":1765090000000}
 *   ]}
 *
 * Each record line is a journal entry (journal.ts) with a leading comma after the first, so one
 * parser reads both files. Writing makes 64 KB pieces of record lines, awaiting the disk
 * between pieces: the event loop is never held for longer than one piece takes (under 1 ms),
 * where serializing the whole store at once held it for 3.3 s at 150,000 users. Reading streams
 * line by line (line-reader.ts). Format 4 added passkeys and claims to format 3's records: a
 * format 3 file (which has neither) is read the same way. Formats 1 and 2 (one object, before
 * this) are still read, whole, once. The first compaction writes format 4.
 */
import { open, readFile } from 'node:fs/promises';
import type { Adapter } from 'lowdb';
import { z } from 'zod';
import { writeFileDurably } from './durable-file.ts';
import { entryLine, JournalCorruptError, parseEntry } from './journal.ts';
import { LOGIN, PASSKEY, SESSION, unpack, USER } from './record-text.ts';
import { readLines } from './line-reader.ts';
import { applyEntry, emptyStoreData, putLogin, putSession, putUser, type StoreData } from './store-data.ts';
import type { LoginState, SessionRecord, UserRecord } from '../types.ts';
import { StoreError } from '../types.ts';

export const FORMAT_VERSION = 4;
const HEADER = /^\{"version":[34],"journal":(\d+),"records":\[$/;
const END = ']}';
/** Characters per write: small enough to build in well under a millisecond, large enough that 30 MB is 500 writes. */
const PIECE_CHARS = 64 * 1024;

// A record's value is checked for the fields the store reads itself: enough to refuse a file that
// is not ours without re-validating every field on start.
const RecordShapes = {
  user: z.object({ id: z.string(), email: z.string(), emailKey: z.string() }).loose(),
  login: z.object({ emailKey: z.string(), sequences: z.array(z.object({ tokenHash: z.string() }).loose()) }).loose(),
  session: z.object({ tokenHash: z.string(), userId: z.string(), expiresAt: z.number() }).loose(),
  passkey: z.object({ id: z.string(), userId: z.string(), createdAt: z.number() }).loose(),
  claim: z.number(),
};

// Formats 1 and 2: checked at the top level only, as they were.
const LegacyShape = z.object({
  version: z.union([z.literal(1), z.literal(2)]),
  journal: z.number().int().nonnegative().optional(),
  users: z.record(z.string(), z.object({ id: z.string(), email: z.string(), emailKey: z.string() }).loose()),
  userIdsByEmailKey: z.record(z.string(), z.string()),
  logins: z.record(z.string(), z.object({ emailKey: z.string(), sequences: z.array(z.unknown()) }).loose()),
  sessions: z.record(z.string(), z.object({ tokenHash: z.string(), userId: z.string() }).loose()),
});

export class SnapshotFile implements Adapter<StoreData> {
  readonly #path: string;
  /** Size of the last snapshot written, for deciding when the journal has outgrown it. */
  bytesWritten = 0;

  constructor(path: string) {
    this.#path = path;
  }

  /** The data, or null if there is no file. A file that is not a store throws a StoreError naming it. */
  async read(): Promise<StoreData | null> {
    let start: string;
    try {
      start = await readStart(this.#path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new StoreError(`Cannot read the data file ${this.#path}: ${(error as Error).message}`);
    }
    return /^\{"version":[34],/.test(start) ? this.#readLines() : this.#readLegacy();
  }

  /**
   * Writes the data durably (temporary file, fsync, rename). The records are read as the writing
   * goes, so changes made meanwhile may be in the file or not; the caller switched to a new
   * journal first, and replaying it (whole-record puts and deletes) gives the same result either way.
   */
  async write(data: StoreData): Promise<void> {
    let bytes = 0;
    const counted = async function* () {
      for (const piece of pieces(data)) {
        bytes += Buffer.byteLength(piece);
        yield piece;
      }
    };
    try {
      await writeFileDurably(this.#path, counted());
    } finally {
      this.bytesWritten = bytes;
    }
  }

  async #readLines(): Promise<StoreData> {
    let data: StoreData | null = null;
    let ended = false;
    const notJson = (detail: string) => new StoreError(`The data file ${this.#path} is not valid JSON (${detail}). It was left untouched: restore it from a backup or move it away to start empty.`);
    const notOurs = (detail: string) => new StoreError(`The data file ${this.#path} is not a passwordless-login store (${detail}). It was left untouched.`);
    let tailBytes: number;
    try {
      ({ tailBytes } = await readLines(this.#path, (line, number) => {
        if (number === 1) {
          const header = HEADER.exec(line);
          if (!header) throw notOurs('line 1 is not the header of version 3 or 4');
          data = emptyStoreData(Number(header[1]));
          return;
        }
        if (ended) throw notJson(`line ${number} comes after the end`);
        if (line === END) {
          ended = true;
          return;
        }
        const entry = parseEntry(number === 2 ? line : line.slice(1), number);
        if (entry.op === 'revoke' || entry.op === 'erase' || entry.op === 'move' || (number > 2 && !line.startsWith(','))) throw notJson(`line ${number} is not a record`);
        const shape = RecordShapes[entry.op].safeParse(entry.value);
        if (!shape.success) throw notOurs(`line ${number}, at "${shape.error.issues[0]!.path.join('.')}": ${shape.error.issues[0]!.message}`);
        applyEntry(data!, entry);
      }));
    } catch (error) {
      if (error instanceof JournalCorruptError) throw error.message.endsWith('not valid JSON') ? notJson(error.message) : notOurs(error.message);
      if (error instanceof StoreError) throw error;
      throw new StoreError(`Cannot read the data file ${this.#path}: ${(error as Error).message}`);
    }
    if (tailBytes > 0 || !ended) throw notJson('it ends before its last line: the file was cut short');
    return data!;
  }

  async #readLegacy(): Promise<StoreData> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(this.#path, 'utf8'));
    } catch (error) {
      if (error instanceof SyntaxError) {
        throw new StoreError(`The data file ${this.#path} is not valid JSON (${error.message}). It was left untouched: restore it from a backup or move it away to start empty.`);
      }
      throw new StoreError(`Cannot read the data file ${this.#path}: ${(error as Error).message}`);
    }
    const shape = LegacyShape.safeParse(parsed);
    if (!shape.success) {
      const issue = shape.error.issues[0]!;
      throw new StoreError(`The data file ${this.#path} is not a passwordless-login store (at "${issue.path.join('.')}": ${issue.message}). It was left untouched.`);
    }
    // Version 1 (before journals) is read as generation 0.
    const old = parsed as { users: Record<string, UserRecord>; userIdsByEmailKey: Record<string, string>; logins: Record<string, LoginState>; sessions: Record<string, SessionRecord> };
    const data = emptyStoreData(shape.data.journal ?? 0);
    for (const [emailKey, id] of Object.entries(old.userIdsByEmailKey)) {
      const user = Object.hasOwn(old.users, id) ? (old.users[id]!) : null;
      if (user) putUser(data, emailKey, user);
    }
    for (const [emailKey, state] of Object.entries(old.logins)) putLogin(data, emailKey, state, null);
    for (const [tokenHash, session] of Object.entries(old.sessions)) putSession(data, tokenHash, session);
    return data;
  }
}

/** The first bytes of a file, to tell format 3 from the formats before it. */
async function readStart(path: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(32);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('latin1');
  } finally {
    await file.close();
  }
}

/** The snapshot text in pieces of about PIECE_CHARS, made as they are asked for. */
function* pieces(data: StoreData): Generator<string> {
  let piece = `{"version":${FORMAT_VERSION},"journal":${data.journal},"records":[\n`;
  let first = true;
  const kinds = [
    ['user', USER, data.users],
    ['login', LOGIN, data.logins],
    ['session', SESSION, data.sessions],
    ['passkey', PASSKEY, data.passkeys],
  ] as const;
  const emit = function* (line: string) {
    piece += `${first ? '' : ','}${line}\n`;
    first = false;
    if (piece.length >= PIECE_CHARS) {
      yield piece;
      piece = '';
    }
  };
  for (const [op, kind, records] of kinds) {
    // A Map iterator stays valid while the Map changes (the write awaits the disk between pieces).
    // The file holds the full records (record-text.ts's compact form is for memory only).
    for (const [key, text] of records) yield* emit(entryLine(op, key, JSON.stringify(unpack(kind, key, text))));
  }
  for (const [key, expiresAt] of data.claims) yield* emit(JSON.stringify({ op: 'claim', key, value: expiresAt }));
  yield `${piece}${END}\n`;
}
