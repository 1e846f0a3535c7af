import { defineConfig } from 'vite';

// One self-contained file (Lit included) that a page loads with a single <script> tag.
// The backend serves it as /passwordless-login.js.
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    lib: {
      entry: 'widget/index.ts',
      name: 'PasswordlessLogin',
      formats: ['iife'],
      fileName: () => 'passwordless-login.js',
    },
  },
});
