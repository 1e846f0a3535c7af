/**
 * Code run as a user that file permissions hold for, for the failure paths only a real permission
 * makes happen: a directory that can be written but not read (mode 0300), so a file renamed into
 * it is there, but the directory cannot be opened to sync the rename (EACCES). Root reads and
 * syncs a directory whatever its mode, so when the tests run as root (CI does) the code gives up
 * root for `nobody` once its modules are loaded (the checkout may sit where `nobody` cannot read),
 * and works in a directory `nobody` owns; otherwise it runs as the current user.
 */
import { execFile } from 'node:child_process';
import { chown, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './cli-process.ts';

const run = promisify(execFile);
const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;

/** A fresh temporary directory the unprivileged user owns. */
export async function unprivilegedDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  if (asRoot) await chown(dir, NOBODY, NOBODY);
  return dir;
}

/**
 * Runs `script` (an ES module's text; it imports the sources by absolute path, through tsx) as
 * the unprivileged user, and resolves with what it printed; rejects with its stderr if it failed.
 * Its static imports are loaded first, as the user the tests run as; then its body runs unprivileged.
 */
export async function runUnprivileged(script: string): Promise<string> {
  const drop = asRoot ? `process.setgid(${NOBODY}); process.setuid(${NOBODY});\n` : '';
  // From the repository, so `--import tsx` resolves.
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', drop + script], { cwd: REPO_ROOT, timeout: 60_000 });
  return stdout;
}
