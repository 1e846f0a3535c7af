/**
 * The other device (the phone): the page was opened from the magic link in a browser that did not
 * ask for it. Where the server describes an approval (the device that asked is waiting), the link
 * step asks: sign in on the device that asked (then pick, of three numbers, the one it shows), or
 * sign in here (the link module's "Continue"). Nothing is approved without a tap, so a scanner that
 * runs the page's script approves nothing; where there is nothing to approve the page is today's.
 */
import type { ApprovalDescription, ApprovalErrorCode } from '../../../contract/approval.ts';
import { wellFormed, type LinkFragment } from '../../magic-link/link-fragment.ts';
import { isOwnRequest } from '../../magic-link/request-secret.ts';
import { styleAdopter } from '../adopt-styles.ts';
import type { FeatureHost } from '../feature.ts';
import { approve, describeApproval } from './approval-calls.ts';
import { sentences, sentencesIn } from './sentences.ts';

/** One element's offer to approve, for the link it was opened from. */
interface Offer {
  token: string;
  description: ApprovalDescription;
  /** `offer`: the two choices; `choose`: the three numbers; `done`: approved; or why approving is over. */
  phase: 'offer' | 'choose' | 'done' | Exclude<ApprovalErrorCode, 'invalid_approval'>;
  /** The pick is on its way: the numbers wait. */
  busy?: boolean;
}

const offers = new WeakMap<FeatureHost, Offer>();

/**
 * The three numbers: big enough to hit on a phone at a glance (3.5rem, over the 44 px of WCAG's
 * target size), side by side. Adopted only where an approval is offered, so every other page keeps
 * the element's one style sheet.
 */
const styles = `[part~=approval-choices]{display:flex;gap:var(--_space)}
[part~=approval-choice]{flex:1;min-block-size:3.5rem;font-size:1.5em;font-variant-numeric:tabular-nums}`;

const adoptStyles = styleAdopter(styles);

/** Asks the server whether the link may approve a device that asked; while it may, the link step is drawn here. */
export async function attachPhone(host: FeatureHost, link: LinkFragment | null): Promise<void> {
  // The browser that asked signs in with its own link at once, and a malformed link is "not valid"
  // without a call (the link module): nothing to approve.
  if (!link || !wellFormed(link.token) || isOwnRequest(host.session.api.base, link.client)) return;
  host.approval = linkStep;
  host.approvalTitle = (flow) => {
    const offer = offers.get(host);
    return offer?.token === flow.token && offer.phase === 'done' ? sentences(host)?.approvedTitle : undefined;
  };
  const answer = await describeApproval(host.session, link.token);
  // 409 approval_not_waiting (the device that asked is gone, or asked for no approval), 403
  // approval_refused, 401 invalid_link…: nothing to approve, the link step stays the link module's.
  if (!answer.ok) return;
  // The link step shows once the choices can be drawn in the element's language, not "Continue" first.
  await sentencesIn(host);
  offers.set(host, { token: link.token, description: answer.data, phase: 'offer' });
  adoptStyles(host.element);
  host.element.requestUpdate();
}

/**
 * "this minute", "2 minutes ago", "vor 2 Minuten": the server's seconds in whole minutes, in the
 * element's language. Minutes are enough for a code that lives 10, and "0 seconds ago" reads as a
 * glitch.
 */
function ago(lang: string, seconds: number): string {
  return new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }).format(-Math.floor(seconds / 60), 'minute');
}

const linkStep: NonNullable<FeatureHost['approval']> = (host, flow, _m, error, address) => {
  const offer = offers.get(host);
  const am = offer?.token === flow.token && sentences(host);
  if (!offer || !am) return undefined;
  const { html, element } = host;
  const focus = (part: string) => void element.updateComplete.then(() => element.renderRoot.querySelector<HTMLElement>(`[part~=${part}]`)?.focus());
  const update = (change: Partial<Offer>) => {
    Object.assign(offer, change);
    element.requestUpdate();
  };
  const signInHere = (primary = '') => html`
    <button part="button ${primary} continue sign-in-here" type="button" ?disabled=${offer.busy} @click=${() => {
      // From here on the link step is the link module's: "Signing you in…", and its errors.
      offers.delete(host);
      void host.verify({ token: flow.token }, 'link');
    }}>${am.signInHere}</button>`;
  const pick = async (number: number) => {
    update({ busy: true });
    const result = await approve(host.session, offer.token, number);
    update({ busy: false });
    if (result.ok) return update({ phase: 'done' });
    const code = result.error.code;
    if (code === 'approval_refused' || code === 'approval_not_waiting') {
      update({ phase: code });
      return focus('sign-in-here');
    }
    // A link used or expired meanwhile: the link module says so. Offline: the error shows under the numbers, which stay.
    if (code !== 'network_error') offers.delete(host);
    await host.fail(result.error);
  };
  switch (offer.phase) {
    case 'offer': {
      const { device, secondsAgo } = offer.description;
      return html`
        ${address ? html`<p part="text">${host.withAddress(am.linkFor, address)}</p>` : host.nothing}
        <p part="text approval-device">${am.deviceAsked(device, ago(host.lang(), secondsAgo))}</p>
        ${error}
        <div part="actions">
          <button part="button primary approve-there" type="button" @click=${() => (update({ phase: 'choose' }), focus('approval-choice'))}>
            ${am.approveThere}
          </button>
          ${signInHere()}
        </div>`;
    }
    case 'choose':
      return html`
        <p part="text" id="approval-pick">${am.pickPrompt}</p>
        <div part="approval-choices" role="group" aria-labelledby="approval-pick">
          ${offer.description.choices.map(
            (number) => html`<button part="button approval-choice" type="button" ?disabled=${offer.busy} @click=${() => pick(number)}>${number}</button>`,
          )}
        </div>
        ${error}
        <div part="actions">${signInHere()}</div>`;
    case 'done':
      return html`<p part="text approval-done" role="status">${am.approved}</p>`;
    default:
      return html`
        <p part="error approval-error" role="alert">${am.errors[offer.phase]}</p>
        <div part="actions">${signInHere('primary')}</div>`;
  }
};
