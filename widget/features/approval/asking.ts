/**
 * The device that asked: its code request carries an approval key (the element's `ask` hook,
 * features/feature.ts), and while the code step shows it waits for the other device (the long poll,
 * approval-calls.ts) and shows the number to pick there, beside the code, which keeps working.
 */
import type { ApprovalRequestResponse } from '../../../contract/approval.ts';
import type { FeatureHost, StepExtra } from '../feature.ts';
import { newApprovalKey, waitForApproval, type PendingApproval } from './approval-calls.ts';
import { sentences } from './sentences.ts';

/** One element's approval while its code step shows. */
interface Asking {
  ticket: PendingApproval;
  /** Stops the wait: the step left, a new code was asked for. */
  stop: AbortController;
  /** A wrong number was picked on the other device, or the approval is no longer valid: the line says so. */
  over?: 'wrongPicked' | 'invalid_approval';
}

const asking = new WeakMap<FeatureHost, Asking>();

/** Hooks the element's code request (called once per element, when the server has approvals on). */
export function attachAsking(host: FeatureHost): void {
  const stop = () => {
    asking.get(host)?.stop.abort();
    asking.delete(host);
  };
  host.ask = async (send) => {
    const pair = await newApprovalKey();
    const result = await send(pair ? { approvalKey: pair.key } : undefined);
    const ticket = result.ok && (result.data as ApprovalRequestResponse).approval;
    // A new code (a resend) brings a new number: the wait for the previous one ends. A refused resend leaves it.
    if (pair && ticket) {
      stop();
      void wait(host, { ...ticket, secret: pair.secret });
    }
    return result;
  };
  // The wait ends when the code step goes (signed in by the code, here or in another tab; "use a
  // different email"; reset()), and when the element leaves the page: nobody would see it signed in.
  host.element.addEventListener('passwordless-step-change', ({ detail }) => detail.step === 'code' || stop());
  host.element.addController({ hostDisconnected: stop });
}

async function wait(host: FeatureHost, ticket: PendingApproval): Promise<void> {
  const state: Asking = { ticket, stop: new AbortController() };
  asking.set(host, state);
  // Where the server has a second factor (the totp module is in): the wait carries its key.
  const pair = await host.secondFactor?.key();
  const result = await waitForApproval(host.session, ticket, state.stop.signal, host.element.clock, pair?.key);
  if (!result || asking.get(host) !== state) return;
  if (result.ok && result.data.status === 'second-factor') {
    asking.delete(host);
    // Approved, and the account asks for its app's code: the second step, as after a link.
    return host.secondFactor!.challenged(result.data.secondFactor, pair!.secret, 'link');
  }
  if (result.ok && result.data.status === 'approved') {
    asking.delete(host);
    // Signed in exactly as after a code: the signed-in step, and `passwordless-success` with `method: 'link'`.
    return host.enter();
  }
  // expired_code: the code step's own expiry says it. invalid_link (servers before the wait
  // answered a used code as an unknown address's): the code or the link signed in already.
  if (result.ok) state.over = 'wrongPicked';
  else if (result.error.code === 'invalid_approval') state.over = 'invalid_approval';
  else asking.delete(host);
  host.element.requestUpdate();
}

/** The line on the code step: the number to pick on the other device, or why that way is over. */
export const codePart: StepExtra<'code'> = (host) => {
  const state = asking.get(host);
  const am = state && sentences(host);
  if (!am) return host.nothing;
  const { over } = state;
  // aria-live rather than role="status": the element's own status line is the one `role="status"` (the resend countdown's).
  return host.html`<p part="text approval-number" aria-live="polite">${
    over === 'wrongPicked' ? am.wrongPicked : over ? am.errors[over] : am.pickThere(state.ticket.number)
  }</p>`;
};
