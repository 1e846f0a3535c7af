/**
 * Under the email form: "Sign in with a passkey" (the browser's modal prompt), and why it failed.
 * Passkey autofill needs nothing drawn: the element gives the email field
 * `autocomplete="username webauthn"` once this module is in, and the browser lists the passkeys
 * among the field's suggestions.
 */
import type { StepExtra } from '../feature.ts';
import { attached, sentenceOf } from './element-passkeys.ts';

export const emailPart: StepExtra<'email'> = (host, flow, m) => {
  const passkeys = attached.get(host.element);
  const pm = passkeys?.sentences;
  if (!passkeys || !pm) return host.nothing;
  passkeys.messages = m;
  const { html, nothing } = host;
  return html`
    <div part="actions passkey-actions">
      <button part="button passkey-sign-in" type="button" ?disabled=${passkeys.busy || flow.busy} @click=${() => passkeys.signIn()}>
        ${pm.signInWithPasskey}
      </button>
    </div>
    ${passkeys.error ? html`<p part="error passkey-error" role="alert">${sentenceOf(passkeys.error, pm, m)}</p>` : nothing}
  `;
};
