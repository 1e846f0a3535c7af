/**
 * One process per data file: two processes each keeping the store in memory would each accept a
 * code the other already used. `<file>.lock` holds the owner's PID; a lock whose process is gone
 * (a crash, `kill -9`) is taken over.
 */
import { link, open, readFile, rm } from 'node:fs/promises';
import { StoreError } from '../types.ts';

export async function acquireLock(dataFile: string): Promise<() => Promise<void>> {
  const path = `${dataFile}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      // Written whole under a private name, then linked into place: link() fails if the lock
      // exists, and a reader never sees a lock without its PID (it would take it for stale).
      const own = `${path}.${process.pid}`;
      const file = await open(own, 'w', 0o600);
      await file.writeFile(`${process.pid}\n`);
      await file.sync();
      await file.close();
      try {
        await link(own, path);
      } finally {
        await rm(own, { force: true });
      }
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new StoreError(`Cannot create the lock file ${path}: ${(error as Error).message}`);
      }
    }
    const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
      throw new StoreError(`The data file ${dataFile} is in use by another process (PID ${owner}, see ${path}). Run one process per data file, or use REDIS_URL for several.`);
    }
    await rm(path, { force: true });
  }
  throw new StoreError(`Cannot take the lock file ${dataFile}.lock: another process keeps taking it.`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
