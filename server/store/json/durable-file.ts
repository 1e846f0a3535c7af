/**
 * Replacing a file so that a crash at any moment leaves either the old or the new content, and
 * the new one is on disk when the promise resolves: write a temporary file, fsync it, rename it
 * over the target, fsync the directory (the rename itself lives in the directory's data).
 */
import { open, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** `content`: the text, or its pieces (each written before the next is asked for). */
export async function writeFileDurably(path: string, content: string | AsyncIterable<string>): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.tmp`);
  const file = await open(temporary, 'w', 0o600);
  try {
    if (typeof content === 'string') await file.writeFile(content, 'utf8');
    // writeFile on an open handle writes from where the last write ended.
    else for await (const piece of content) await file.writeFile(piece, 'utf8');
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
  // Past the rename the new content is what the file holds: a failure now must not be read as
  // "not written" (the caller would fall back while the disk already says otherwise). Retry the
  // directory sync, then report it apart.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await syncDirectory(dirname(path));
      return;
    } catch (error) {
      lastError = error;
    }
  }
  throw new ReplacedButNotSynced(path, lastError);
}

/** The file was replaced, but the directory holding the rename could not be synced. */
export class ReplacedButNotSynced extends Error {
  constructor(path: string, cause: unknown) {
    super(`${path} was replaced but its directory could not be synced: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'ReplacedButNotSynced';
  }
}

export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
