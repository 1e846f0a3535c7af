/**
 * Where the files the server reads at run time live: the email templates (`templates/`) and the
 * built widget (`dist/passwordless-login.js`), both at the package root.
 *
 * The server runs from two layouts: its sources under tsx (the tests, `npm run dev`) and the
 * compiled JavaScript in `dist/` (`npm start`, `passwordless-login serve`, the
 * `passwordless-login/server` entry). They sit at different depths, so the root is found by
 * walking up from this file to the first folder holding a `package.json`: `dist/` holds none.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Whether the server runs from its `.ts` sources (tsx) rather than compiled JavaScript. The
 * pathname, not the whole URL: tsx's `tsImport` (the widget tests' backend) adds a query.
 */
export const RUNNING_FROM_SOURCES = new URL(import.meta.url).pathname.endsWith('.ts');

function findPackageRoot(): URL {
  let dir = new URL('./', import.meta.url);
  for (;;) {
    if (existsSync(new URL('package.json', dir))) return dir;
    const parent = new URL('../', dir);
    if (parent.href === dir.href) throw new Error(`No package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

const PACKAGE_ROOT = findPackageRoot();

/** An absolute path to `relative` (forward slashes; a trailing one for a directory) in the package. */
export function packagePath(relative: string): string {
  return fileURLToPath(new URL(relative, PACKAGE_ROOT));
}
