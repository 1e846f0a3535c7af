import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromiumArgs, chromiumPath } from './widget/testing/chromium.mjs';
import { testBackend } from './widget/testing/test-backend.mjs';
import { summaryLineReporter } from './widget/testing/summary-reporter.mjs';
import { virtualAuthenticator } from './widget/testing/virtual-authenticator.mjs';

// The widget tests run against the real backend (server/testing/test-server.ts), proxied under
// this server's own /auth, and a second one in cookie mode (SESSION_COOKIE=on) under /cookie-auth;
// see widget/testing/test-backend.mjs.
const backend = testBackend();

export default {
  files: ['widget/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  middleware: [backend.middleware],
  // virtualAuthenticator(): Chromium's WebAuthn authenticator for the passkey tests (widget/testing/virtual-authenticator.mjs).
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }), backend.plugin, virtualAuthenticator()],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: chromiumPath,
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
