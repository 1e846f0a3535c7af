/**
 * The magic-link landing: the page was opened from the link in the mail. The script-tag file has
 * already taken the token out of the address bar (magic-link/link-fragment.ts) and shows the link
 * step; this module draws it and decides. In the browser that asked for the mail (its
 * `clientHash` is kept here, magic-link/request-secret.ts) the link signs in at once; anywhere
 * else (another device, a mail scanner) it waits for "Continue", since a GET must never sign
 * anyone in.
 */
import type { LinkFragment } from '../../magic-link/link-fragment.ts';
import { isOwnRequest, rememberSecret } from '../../magic-link/request-secret.ts';
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

const step: StepView<'link'> = {
  title: (m) => m.linkTitle,
  render({ element, html, nothing, verify }, flow, m, error) {
    // A used or expired link cannot be retried, only replaced; a failed connection can.
    const retry = !flow.error || flow.error.code === 'network_error';
    // "Back" leads to the session still kept, if any, else to the email step.
    const user = element.user;
    return html`
      <p part="text">${flow.busy ? m.signingIn : retry ? m.linkExplain : user ? m.signedInAs(user.email) : m.linkFailed}</p>
      ${error}
      <div part="actions">
        ${retry
          ? html`<button part="button primary continue" type="button" ?disabled=${flow.busy} @click=${() => verify({ token: flow.token }, 'link')}>
              ${m.linkContinue}
            </button>`
          : nothing}
        ${flow.error ? html`<button part="button back" type="button" @click=${() => element.reset()}>${user ? m.back : m.backToEmail}</button>` : nothing}
      </div>
    `;
  },
};

export default {
  en,
  steps: { link: step },
  async open(host, { token, client }) {
    if (isOwnRequest(host.session.api.base, client)) await host.verify({ token }, 'link');
  },
  remember: (base, secret) => rememberSecret(base, secret),
} satisfies LinkFeature;
