import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

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
    // The global `PasswordlessLogin` needs no Symbol.toStringTag.
    rolldownOptions: { output: { generatedCode: { symbols: false } } },
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

/**
 * Lit's css`` is an opaque string to the JavaScript minifier: squeeze its whitespace and quotes
 * here (about 70 bytes gzip off the script-tag file). Only the widget's *.styles.ts, whose
 * templates have no ${} holes; spaces before `:` stay (`a :hover` is not `a:hover`).
 */
const minifyLitCss: Plugin = {
  name: 'minify-lit-css',
  apply: 'build',
  transform(code, id) {
    if (!id.endsWith('.styles.ts')) return null;
    return code.replace(
      /unsafeCSS\(`([^`$]*)`\)/g,
      (_, text: string) =>
        `unsafeCSS(\`${text
          .replace(/\s*([{};,])\s*/g, '$1')
          .replace(/:\s+/g, ':')
          .replace(/\s+/g, ' ')
          .replace(/;}/g, '}')
          // Inside calc() only + and - need spaces around them.
          .replace(/ ([*/]) /g, '$1')
          .replace(/([^\d])0\./g, '$1.')
          .replace(/\[part~='([\w-]+)'\]/g, '[part~=$1]')
          .trim()}\`)`,
    );
  },
};

export default defineConfig(({ mode }) => ({
  plugins: [minifyLitCss],
  build: { target: 'es2022', minify: true, ...(builds[mode] ?? builds.iife) },
}));
