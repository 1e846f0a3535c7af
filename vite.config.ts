import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

/**
 * The builds of the element, chosen by `--mode` (widget/build/build-widget.ts runs them all):
 * - `iife` (default): `dist/passwordless-login.js`, the script-tag file: Lit and English inside,
 *   one request, what the first visit needs. The backend serves it as /passwordless-login.js.
 * - `locales`: `dist/passwordless-login/locales/<tag>.js`, one small ES module per other
 *   language, which the script-tag file imports on demand from beside itself.
 * - `feature-<name>`: `dist/passwordless-login/features/<name>.js`, the feature module
 *   `widget/features/<name>/index.ts`, imported on demand the same way. One build each, so two
 *   features never share a chunk the backend would not serve.
 * - `esm`: `dist/esm/`, for bundlers: Lit left as a dependency, languages and features as chunks.
 * - `admin`: `dist/admin/admin.js` and `admin.css`, the operators' console (admin/), which the
 *   backend serves at /admin/ when ADMIN_EMAILS is set. Its own script and stylesheet files, so
 *   the console's page runs under the strict CSP (no inline script or style).
 */
const LOCALE_DIR = 'widget/i18n/locales';

// Vite minifies an ES library's names but keeps its whitespace, for the bundler that will take it
// in. The modules beside the script go to the browser as they are: minified whole (French: 1,154
// B gzip before, 1,085 after).

const builds: Record<string, UserConfig['build']> = {
  iife: {
    outDir: 'dist',
    lib: { entry: 'widget/index.ts', name: 'PasswordlessLogin', formats: ['iife'], fileName: () => 'passwordless-login.js' },
    // The global `PasswordlessLogin` needs no Symbol.toStringTag.
    rolldownOptions: { output: { generatedCode: { symbols: false } } },
  },
  locales: {
    outDir: 'dist/passwordless-login/locales',
    lib: {
      entry: Object.fromEntries(readdirSync(LOCALE_DIR).map((file) => [basename(file, '.ts'), `${LOCALE_DIR}/${file}`])),
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rolldownOptions: { output: { minify: true } },
  },
  admin: {
    outDir: 'dist/admin',
    lib: { entry: 'admin/index.ts', formats: ['es'], fileName: () => 'admin.js', cssFileName: 'admin' },
    rolldownOptions: { output: { minify: true } },
  },
  esm: {
    outDir: 'dist/esm',
    lib: { entry: 'widget/module.ts', formats: ['es'], fileName: () => 'passwordless-login.js' },
    rollupOptions: { external: [/^lit($|\/)/, /^@lit\//] },
  },
};

function buildFor(mode: string): UserConfig['build'] {
  const feature = /^feature-([a-z-]+)$/.exec(mode)?.[1];
  if (!feature) return builds[mode] ?? builds.iife;
  return {
    outDir: 'dist/passwordless-login/features',
    lib: { entry: `widget/features/${feature}/index.ts`, formats: ['es'], fileName: () => `${feature}.js` },
    // What a feature fetches later by itself (the passkey module's languages) is a chunk beside
    // it, named for it: `passkey-fr.js`, served from the same folder as the feature.
    rolldownOptions: { output: { minify: true, chunkFileNames: `${feature}-[name].js` } },
  };
}

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

/**
 * Lit's html`` keeps the indentation of its templates: the minifier cannot know that a newline and
 * spaces between two tags, or between a tag and a `${}` hole, draw nothing here (every step is a
 * flex column, and the element's sentences are trimmed where they are read). Dropped from the
 * minified files (after the minifier, where the only newlines left are inside template literals):
 * 56 B gzip off the script-tag file, which made room for the passkey hooks (December 2026). Only
 * a newline followed by 2+ spaces, the indentation of a template, is touched; between two
 * attributes it becomes one space.
 */
const minifyLitHtml: Plugin = {
  name: 'minify-lit-html',
  apply: 'build',
  generateBundle(_options, bundle) {
    for (const chunk of Object.values(bundle)) {
      if (chunk.type !== 'chunk') continue;
      chunk.code = chunk.code
        .replace(/([>}`])\s*\n {2,}\s*(<|\$\{|`)/g, '$1$2')
        .replace(/\n {2,}/g, ' ');
    }
  },
};

export default defineConfig(({ mode }) => ({
  plugins: [minifyLitCss, minifyLitHtml],
  // A production build whatever NODE_ENV the shell has: Vite otherwise takes NODE_ENV=development
  // as a request for Lit's development build (its `development` export condition, warnings
  // included: 15.8 KB gzip instead of 12). `npm run size` rebuilds with NODE_ENV=development and
  // fails unless every file comes out the same.
  resolve: { conditions: ['module', 'browser', 'production'] },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: { target: 'es2022', minify: true, emptyOutDir: false, ...buildFor(mode) },
}));
