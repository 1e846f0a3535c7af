import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { defineConfig, type UserConfig } from 'vite';

/**
 * Three builds of the element, chosen by `--mode`:
 * - `iife` (default): `dist/passwordless-login.js`, the script-tag file: Lit and English inside,
 *   one request. The backend serves it as /passwordless-login.js.
 * - `locales`: `dist/passwordless-login/locales/<tag>.js`, one small ES module per other
 *   language, which the script-tag file imports on demand from beside itself.
 * - `esm`: `dist/esm/`, for bundlers: Lit left as a dependency, languages as chunks.
 */
const LOCALE_DIR = 'widget/i18n/locales';

const builds: Record<string, UserConfig['build']> = {
  iife: {
    outDir: 'dist',
    emptyOutDir: false,
    lib: { entry: 'widget/index.ts', name: 'PasswordlessLogin', formats: ['iife'], fileName: () => 'passwordless-login.js' },
  },
  locales: {
    outDir: 'dist/passwordless-login/locales',
    emptyOutDir: true,
    lib: {
      entry: Object.fromEntries(readdirSync(LOCALE_DIR).map((file) => [basename(file, '.ts'), `${LOCALE_DIR}/${file}`])),
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
  },
  esm: {
    outDir: 'dist/esm',
    emptyOutDir: true,
    lib: { entry: 'widget/module.ts', formats: ['es'], fileName: () => 'passwordless-login.js' },
    rollupOptions: { external: [/^lit($|\/)/, /^@lit\//] },
  },
};

export default defineConfig(({ mode }) => ({
  build: { target: 'es2022', minify: true, ...(builds[mode] ?? builds.iife) },
}));
