/**
 * Where the files the server reads at run time live: the email templates (`templates/`) and the
 * built widget (`dist/passwordless-login.js`), both at the package root beside `server/`.
 *
 * The server runs from two layouts, and only this module knows how far up the root is:
 * - its sources under tsx (`npm start`, the tests): `server/package-files.ts`, root one level up;
 * - the compiled package entry (`passwordless-login/server`, tsconfig.server.json):
 *   `dist/server/package-files.js`, root two levels up.
 * A `.ts` path means the sources, as in worker-mailer.ts, which picks its worker file the same way.
 */
import { fileURLToPath } from 'node:url';

/**
 * Whether the server runs from its `.ts` sources (tsx) rather than dist/server. The pathname, not
 * the whole URL: tsx's `tsImport` (the widget tests' backend) adds a query.
 */
export const RUNNING_FROM_SOURCES = new URL(import.meta.url).pathname.endsWith('.ts');

const PACKAGE_ROOT = new URL(RUNNING_FROM_SOURCES ? '../' : '../../', import.meta.url);

/** An absolute path to `relative` (forward slashes; a trailing one for a directory) in the package. */
export function packagePath(relative: string): string {
  return fileURLToPath(new URL(relative, PACKAGE_ROOT));
}
