/**
 * `npm run build` (the widget part): every build of vite.config.ts into `outDir` (default `dist`),
 * the script-tag file, the languages, one build per feature module (each folder of
 * widget/features with an index.ts), the ES module build and the admin console (admin/). Also used by the browser tests'
 * backend and by the NODE_ENV check of `npm run size`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { build } from 'vite';

const ROOT = join(import.meta.dirname, '../..');
const FEATURES_DIR = join(ROOT, 'widget/features');

/** The feature modules: each folder of widget/features with an index.ts. */
export const FEATURES = readdirSync(FEATURES_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(FEATURES_DIR, entry.name, 'index.ts')))
  .map((entry) => entry.name)
  .sort();

/** The modes of vite.config.ts, and where each writes under `dist/`. */
const MODES: Array<[mode: string, dir: string]> = [
  ['iife', '.'],
  ['locales', 'passwordless-login/locales'],
  ...FEATURES.map((name): [string, string] => [`feature-${name}`, 'passwordless-login/features']),
  ['esm', 'esm'],
  ['admin', 'admin'],
];

export interface BuildOptions {
  /** Default `dist` in the repository. */
  outDir?: string;
  /** The ES module build for bundlers (`dist/esm`); default true. */
  esm?: boolean;
}

export async function buildWidget({ outDir = join(ROOT, 'dist'), esm = true }: BuildOptions = {}): Promise<void> {
  // Each mode adds to the folders: empty them once here, so a removed language or feature goes.
  await Promise.all(['passwordless-login.js', 'passwordless-login', 'esm', 'admin'].map((path) => rm(join(outDir, path), { recursive: true, force: true })));
  for (const [mode, dir] of MODES) {
    if (mode === 'esm' && !esm) continue;
    await build({ root: ROOT, configFile: join(ROOT, 'vite.config.ts'), mode, logLevel: 'warn', build: { outDir: join(outDir, dir) } });
  }
}

if (process.argv[1] && relative(process.argv[1], import.meta.filename) === '') {
  await buildWidget({ outDir: process.argv[2] });
  process.stdout.write(`Built the script-tag file, the languages, the features (${FEATURES.join(', ')}), the ES module build and the admin console.\n`);
}
