/**
 * The magic-link landing: the page was opened from the link in the mail. The script-tag file has
 * already taken the token out of the address bar (magic-link/link-fragment.ts) and shows the link
 * step; this module draws it and decides. In the browser that asked for the mail (its
 * `clientHash` is kept here, magic-link/request-secret.ts) the link signs in at once; anywhere
 * else (another device, a mail scanner) it waits for "Continue", since a GET must never sign
 * anyone in, and names the address it will sign in (asked of the server, which spends nothing).
 */
import type { WidgetErrorCode } from '../../flow/flow.ts';
import { wellFormed, type LinkFragment } from '../../magic-link/link-fragment.ts';
import { isOwnRequest, rememberSecret } from '../../magic-link/request-secret.ts';
import type { PasswordlessLogin } from '../../element/passwordless-login.ts';
import type { FeatureHost, FeatureModule, StepView } from '../feature.ts';
import { en } from './en.ts';

export interface LinkFeature extends FeatureModule {
  /** Called once the module is in, with the link the page was opened from. */
  open(host: FeatureHost, link: LinkFragment): Promise<void>;
  /**
   * Keeps the `clientHash` of a request the server accepted, so its link signs in at once here.
   * The element fetches this module when a link is mailed, then: the person is reading their mail.
   */
  remember(base: string, secret: string): void;
}


/** The address each link opened on this page signs in, once the server has named it. */
const addresses = new Map<string, string>();

/** A used or expired link cannot be retried, only replaced; a failed connection can. */
const failed = (code: WidgetErrorCode | undefined) => !!code && code !== 'network_error';

/** Each element's host, for its heading (a title is handed the element, not the host). */
const hosts = new WeakMap<PasswordlessLogin, FeatureHost>();

const step: StepView<'link'> = {
  // A failed link no longer continues anything: the heading says where the person is now. An
  // approval given from here says so (the approval module's heading).
  title: (m, flow, element) =>
    (!flow.busy && hosts.get(element)?.approvalTitle?.(flow)) ||
    (!failed(flow.error?.code) ? m.linkTitle : element.user ? m.signedInTitle : m.title),
  render(host, flow, m, error) {
    const { element, html, nothing, verify, withAddress } = host;
    const user = element.user;
    if (failed(flow.error?.code)) {
      // Signed in already (the link was used here, or its mail is older than the session): one
      // calm sentence, no red error, and back to the signed-in step. Else: ask for a new one.
      return user
        ? html`<p part="text" role="status">${withAddress(m.linkUsedSignedIn, user.email)}</p>
            <div part="actions">
              <button part="button primary back" type="button" @click=${() => element.reset()}>${m.back}</button>
            </div>`
        : html`<p part="text">${m.linkFailed}</p>
            ${error}
            <div part="actions">
              <button part="button primary back" type="button" @click=${() => element.reset()}>${m.backToEmail}</button>
            </div>`;
    }
    const address = addresses.get(flow.token);
    // Opened in another browser while the device that asked waits: approve it from here, or sign in here (the approval module).
    const approval = !flow.busy && host.approval?.(host, flow, m, error, address);
    if (approval) return approval;
    return html`
      <p part="text">${flow.busy ? m.signingIn : address ? withAddress(m.linkExplainFor, address) : m.linkExplain}</p>
      ${error}
      <div part="actions">
        <button part="button primary continue" type="button" ?disabled=${flow.busy} @click=${() => verify({ token: flow.token }, 'link')}>
          ${m.linkContinue}
        </button>
        ${flow.error ? html`<button part="button back" type="button" @click=${() => element.reset()}>${user ? m.back : m.backToEmail}</button>` : nothing}
      </div>
    `;
  },
};

export default {
  en,
  steps: { link: step },
  async open(host, { token, client }) {
    hosts.set(host.element, host);
    // A link cut short or mangled by a mail client: say it is not valid, not "try again later".
    if (!wellFormed(token)) return host.fail({ code: 'invalid_link' });
    if (isOwnRequest(host.session.api.base, client)) return host.verify({ token }, 'link');
    // ApiPath.linkAddress, written out: the module would otherwise carry a copy of the whole ApiPath object.
    const answer = await host.session.api.call('/link-address', { token });
    if (answer.ok) {
      addresses.set(token, answer.data.email);
      host.element.requestUpdate();
    } else if (answer.error.code === 'invalid_link') {
      // Unknown to the server (used and forgotten, or never ours): no "Continue" that cannot work.
      await host.fail(answer.error);
    }
  },
  remember: (base, secret) => rememberSecret(base, secret),
} satisfies LinkFeature;
