/**
 * What the JSON store has on disk, read the way a restart would: the snapshot with its journals
 * replayed, and the link-token index derived. Tests use it to check what is durable, and
 * `text` (every file, raw) to check what a stolen copy of the data directory would reveal.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { journalPath, journalsFrom, readJournal, type JournalEntry } from '../store/json/journal.ts';

export interface StoreOnDisk {
  users: Record<string, any>;
  userIdsByEmailKey: Record<string, string>;
  logins: Record<string, any>;
  sessions: Record<string, any>;
  linkTokens: Record<string, string>;
  /** credential ID → passkey. */
  passkeys: Record<string, any>;
  /** claimed key → until when (ms). */
  claims: Record<string, number>;
  /** Every file of the store, concatenated as written. */
  text: string;
}

export async function readStoreOnDisk(dataFile: string): Promise<StoreOnDisk> {
  const snapshotText = await readFile(dataFile, 'utf8');
  const snapshot = JSON.parse(snapshotText);
  const entries: JournalEntry[] = [];
  for (const generation of await journalsFrom(dataFile, snapshot.journal ?? 0)) entries.push(...(await readJournal(journalPath(dataFile, generation))).entries);
  // Versions 3 and 4 list their records as journal entries; versions 1 and 2 held the maps themselves.
  const data: StoreOnDisk = snapshot.records
    ? { users: {}, userIdsByEmailKey: {}, logins: {}, sessions: {}, linkTokens: {}, passkeys: {}, claims: {}, text: '' }
    : { users: snapshot.users, userIdsByEmailKey: snapshot.userIdsByEmailKey, logins: snapshot.logins, sessions: snapshot.sessions, linkTokens: {}, passkeys: {}, claims: {}, text: '' };
  for (const entry of [...(snapshot.records ?? []), ...entries] as JournalEntry[]) {
    const value = entry.value as any;
    if (entry.op === 'login') {
      if (value) data.logins[entry.key] = value;
      else delete data.logins[entry.key];
    } else if (entry.op === 'session') {
      if (value) data.sessions[entry.key] = value;
      else delete data.sessions[entry.key];
    } else if (entry.op === 'passkey') {
      if (value) data.passkeys[entry.key] = value;
      else delete data.passkeys[entry.key];
    } else if (entry.op === 'claim') {
      if (value !== null) data.claims[entry.key] = value;
      else delete data.claims[entry.key];
    } else if (entry.op === 'revoke') {
      for (const tokenHash of entry.value) delete data.sessions[tokenHash];
    } else if (entry.op === 'move') {
      // A change of address: the user leaves `key` for the key its record now names.
      if (data.userIdsByEmailKey[entry.key] === value.id) delete data.userIdsByEmailKey[entry.key];
      data.users[value.id] = value;
      data.userIdsByEmailKey[value.emailKey] = value.id;
    } else {
      const id = data.userIdsByEmailKey[entry.key];
      if (id) delete data.users[id];
      delete data.userIdsByEmailKey[entry.key];
      if (value) {
        data.users[value.id] = value;
        data.userIdsByEmailKey[entry.key] = value.id;
      }
    }
  }
  for (const [emailKey, state] of Object.entries(data.logins)) for (const s of state.sequences) data.linkTokens[s.tokenHash] = emailKey;
  // Every file of the store, the audit directory's day files and daily counts too.
  data.text = await textOfFiles(dirname(dataFile), (path) => relative(dirname(dataFile), path).startsWith(basename(dataFile)));
  return data;
}

/**
 * Every file under `dir` that `keep` takes (by its full path), concatenated as written: what a
 * stolen copy of the directory would reveal.
 */
export async function textOfFiles(dir: string, keep: (path: string) => boolean = () => true): Promise<string> {
  const onDisk = await readdir(dir, { recursive: true, withFileTypes: true });
  const paths = onDisk.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name)).filter(keep);
  // A file may go between the listing and the read: the daily counts' `.tmp` twin, renamed over
  // the counts by a write of the audit trail running meanwhile (the fresh-clone CI met it once).
  // A file that is gone holds nothing.
  const read = (path: string) => readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? '' : Promise.reject(error)));
  return (await Promise.all(paths.map(read))).join('\n');
}
