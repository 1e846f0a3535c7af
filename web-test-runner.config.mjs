import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { testBackend } from './widget/testing/test-backend.mjs';
import { summaryLineReporter } from './widget/testing/summary-reporter.mjs';

// Flags that let Debian's Chromium run as root on a machine with no network (see TOOLCHAIN.md):
// without the background-networking ones it keeps dialing hosts it cannot reach.
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

// The widget tests run against the real backend (server/testing/test-server.ts), proxied under
// this server's own /auth; see widget/testing/test-backend.mjs.
const backend = testBackend();

export default {
  files: ['widget/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  middleware: [backend.middleware],
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }), backend.plugin],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
        headless: true,
        args: chromiumArgs,
      },
    }),
  ],
  reporters: [defaultReporter(), summaryLineReporter()],
  // Lit's development build (kept for its warnings) announces itself in every test file.
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
  testFramework: { config: { timeout: 5000 } },
};
