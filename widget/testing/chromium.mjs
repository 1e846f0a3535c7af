/**
 * How every test here launches Chromium: Debian's build (or CHROME_PATH) as root on a machine with
 * no network. `--no-sandbox` because root; the background-networking flags because
 * without them Chromium keeps dialing hosts it cannot reach. Used by web-test-runner and the
 * end-to-end tests alike.
 */
export const chromiumPath = process.env.CHROME_PATH ?? '/usr/bin/chromium';

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
