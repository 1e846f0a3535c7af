/**
 * The React 19 demo: `vite build -c demo/frameworks/react/vite.config.ts` writes dist/demo/react/,
 * which demo/demo-routes.ts serves at /demo/react/ (under the same strict CSP as every page).
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/demo/react/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../../dist/demo/react/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
});
