/**
 * Chromium's virtual authenticator for the passkey tests: a real WebAuthn authenticator inside the
 * browser (real keys, real signatures, the real prompts' outcomes) driven through the DevTools
 * protocol (the `WebAuthn` domain), so `navigator.credentials.create()` and `.get()` run for real
 * against the real backend with no one to touch a sensor.
 *
 * A server command of web-test-runner: the test page calls
 * `executeServerCommand('virtual-authenticator', {action, …})` (widget/testing/passkeys.ts), and
 * this plugin runs it on the test page's own DevTools session (`session.browser.getPage`, the
 * puppeteer page of @web/test-runner-chrome). Actions:
 * - `add`: a platform authenticator (`ctap2`, `internal`, discoverable credentials, user
 *   verification that succeeds), replacing any the browser had; answers `{authenticatorId}`;
 * - `remove`: no authenticator (then the browser has no platform authenticator);
 * - `user-verified` with `{verified}`: whether the next user verification succeeds (false: the
 *   prompt ends in `NotAllowedError`, as when the person cancels it);
 * - `credentials`: the credentials the authenticator holds (`[{credentialId, rpId, …}]`).
 */
export function virtualAuthenticator() {
  /** Per test page: its DevTools session and its authenticator, if any. */
  const pages = new Map();

  async function pageOf(session) {
    let page = pages.get(session.id);
    if (!page) {
      const cdp = await session.browser.getPage(session.id).createCDPSession();
      // No browser dialog to click through: the authenticator answers by itself.
      await cdp.send('WebAuthn.enable', { enableUI: false });
      page = { cdp, authenticatorId: null };
      pages.set(session.id, page);
    }
    return page;
  }

  async function remove(page) {
    if (page.authenticatorId) await page.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: page.authenticatorId });
    page.authenticatorId = null;
  }

  return {
    name: 'virtual-authenticator',
    async executeCommand({ command, payload, session }) {
      if (command !== 'virtual-authenticator') return undefined;
      const page = await pageOf(session);
      const { cdp } = page;
      switch (payload?.action) {
        case 'add': {
          // Chromium allows one internal authenticator per browser: the one an earlier test
          // file's page added goes first (that page may be closed already).
          for (const other of pages.values()) await remove(other).catch(() => (other.authenticatorId = null));
          await remove(page);
          const options = {
            protocol: 'ctap2',
            transport: 'internal',
            hasResidentKey: true,
            hasUserVerification: true,
            isUserVerified: true,
            automaticPresenceSimulation: true,
          };
          ({ authenticatorId: page.authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', { options }));
          return { authenticatorId: page.authenticatorId };
        }
        case 'remove':
          await remove(page);
          return {};
        case 'user-verified':
          await cdp.send('WebAuthn.setUserVerified', { authenticatorId: page.authenticatorId, isUserVerified: !!payload.verified });
          return {};
        case 'credentials':
          return (await cdp.send('WebAuthn.getCredentials', { authenticatorId: page.authenticatorId })).credentials;
        default:
          throw new Error(`virtual-authenticator: unknown action ${JSON.stringify(payload?.action)}`);
      }
    },
  };
}
