/**
 * `npm start` (after a build) and `npm run serve`: the backend as `passwordless-login serve` runs
 * it, plus, outside production, the demo pages with the dev mailbox (demo-routes.ts), so the
 * whole flow can be tried on one machine. In production it is exactly `passwordless-login serve`.
 * `npm run dev` runs this file from its TypeScript sources.
 */
import { loadConfig } from '../server/bin/environment.ts';
import { runCommand } from '../server/bin/run-command.ts';
import { serve } from '../server/bin/serve.ts';
import { mountDemo } from './demo-routes.ts';

runCommand(async () => {
  const config = loadConfig();
  await serve(config, {
    mount: (backend) => {
      if (!config.production) mountDemo(backend.app, { mailbox: backend.mailbox, publicUrl: config.publicUrl, audience: config.accessTokenAudience });
    },
  });
  if (!config.production) process.stdout.write(`\n  passwordless-login demo: ${config.publicUrl}/\n\n`);
}, 'Failed to start');
