/**
 * The Vue 3 demo: `vite build -c demo/frameworks/vue/vite.config.ts` writes dist/demo/vue/,
 * which demo/demo-routes.ts serves at /demo/vue/ (under the same strict CSP as every page).
 */
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/demo/vue/',
  plugins: [
    // Vue leaves the tag to the browser instead of looking for a Vue component of that name.
    vue({ template: { compilerOptions: { isCustomElement: (tag) => tag === 'passwordless-login' } } }),
  ],
  build: {
    outDir: fileURLToPath(new URL('../../../dist/demo/vue/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
});
