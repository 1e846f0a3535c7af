/**
 * The built console (`npm run build`: vite.config.ts mode `admin`, from admin/ at the top of the
 * repository) as the backend serves it: one script and one stylesheet, read once at start.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packagePath } from './package-files.ts';

export const DEFAULT_ADMIN_DIR = packagePath('dist/admin');

export interface AdminFiles {
  /** The console's script, or null when it has not been built. */
  script: string | null;
  stylesheet: string | null;
}

export async function readAdminFiles(dir: string = DEFAULT_ADMIN_DIR): Promise<AdminFiles> {
  const read = (name: string) => readFile(join(dir, name), 'utf8').catch(() => null);
  const [script, stylesheet] = await Promise.all([read('admin.js'), read('admin.css')]);
  return { script, stylesheet };
}
