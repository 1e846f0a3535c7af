/**
 * Outside production the hash key may be left unset: it is generated once (256 random bits)
 * and kept beside the data file with mode 0600, so restarts keep sessions and codes valid.
 * Production requires SECRET (config.ts), because a key on the same disk as the hashes it
 * protects defends against less.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, parse } from 'node:path';

export function secretFileFor(dataFile: string): string {
  const { dir, name } = parse(dataFile);
  return join(dir, `${name}.secret`);
}

export async function loadOrCreateSecret(dataFile: string): Promise<string> {
  const file = secretFileFor(dataFile);
  await mkdir(dirname(file), { recursive: true });
  try {
    // `wx`: two processes starting at once cannot both write a different key.
    await writeFile(file, `${randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = (await readFile(file, 'utf8')).trim();
  if (secret.length < 32) throw new Error(`The secret file ${file} is shorter than 32 characters: remove it to generate a new one (sessions will end).`);
  return secret;
}
