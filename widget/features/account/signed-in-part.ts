/**
 * Under "Sign out" (and under the passkeys' disclosure where passkeys are on): "Account", a
 * disclosure (closed, so the step stays short) with what the server allows (`AccountOptions`):
 * - "Change email": the new address → its code (sent there) → "Your address is now …";
 * - "Delete account": what it does → "Send me a code" (to the current address) → the code →
 *   the element back at the email step.
 * A code form replaces the two starts while it shows; "Cancel" brings them back. Each step puts
 * the focus on what it asks for (the code field; the sentence that says the address changed).
 */
import type { TemplateResult } from 'lit';
import { digitsOf } from '../../flow/code-digits.ts';
import type { Messages } from '../../i18n/messages.ts';
import type { FeatureHost, StepExtra } from '../feature.ts';
import { adoptStyles } from './account-styles.ts';
import { attached, type ElementAccount } from './element-account.ts';
import type { AccountMessages } from './messages.ts';

export const signedInPart: StepExtra<'signed-in'> = (host, flow, m) => {
  const account = attached.get(host.element);
  const am = account?.sentences;
  if (!account || !am) return host.nothing;
  account.messages = m;
  adoptStyles(host.element);
  const { html, nothing } = host;
  const { options, stage } = account;
  return html`
    <details part="account" ?open=${account.open} @toggle=${(event: Event) => account.toggled((event.target as HTMLDetailsElement).open)}>
      <summary part="account-summary">${am.account}</summary>
      ${stage !== 'start'
        ? codeForm(host, account, am, m, stage === 'email-code' ? account.newEmail : flow.user.email)
        : html`${options.emailChange ? emailStart(host, account, am) : nothing}
          ${options.deletion ? deletionStart(host, account, am) : nothing}`}
    </details>
    <div class="visually-hidden" role="status">${account.status}</div>
  `;
};

/** The error of the part it is about, or nothing. `mail_busy` counts down, so it is no alert: the status line says it once. */
function errorOf(host: FeatureHost, account: ElementAccount): unknown {
  const { error } = account;
  if (!error) return host.nothing;
  return host.html`<p part="error account-error" id="account-error" role=${error.code === 'mail_busy' ? host.nothing : 'alert'}>${account.sentenceOf(error)}</p>`;
}

function emailStart(host: FeatureHost, account: ElementAccount, am: AccountMessages): TemplateResult {
  const { html, nothing } = host;
  const error = account.about === 'email' ? errorOf(host, account) : nothing;
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).querySelector('input')!;
    if (!input.checkValidity()) {
      account.about = 'email';
      account.error = { code: 'invalid_email' };
      account.update();
      return account.focus('#account-email');
    }
    await account.sendEmailCode(input.value);
    await account.focus(account.stage === 'start' ? '#account-email' : '#account-code');
  };
  return html`<section part="email-change" aria-labelledby="account-change">
    <h3 part="account-heading" id="account-change">${am.changeEmail}</h3>
    ${account.done ? html`<p part="text account-done" id="account-done" tabindex="-1">${host.withAddress(am.emailChanged, host.element.user!.email)}</p>` : nothing}
    <form part="form email-change-form" novalidate @submit=${submit}>
      <label part="label" for="account-email">${am.newEmailLabel}</label>
      <input part="input email-input new-email-input" id="account-email" name="email" type="email" autocomplete="email" required
        .value=${account.newEmail} aria-invalid=${error !== nothing} aria-describedby=${error !== nothing ? 'account-error' : nothing}>
      ${error}
      <button part="button primary submit send-email-code" ?disabled=${account.busy}>${am.sendCode}</button>
    </form>
  </section>`;
}

function deletionStart(host: FeatureHost, account: ElementAccount, am: AccountMessages): TemplateResult {
  const { html, nothing } = host;
  const send = async () => {
    await account.sendDeleteCode();
    if (account.stage === 'delete-code') await account.focus('#account-code');
  };
  return html`<section part="account-deletion" aria-labelledby="account-delete">
    <h3 part="account-heading" id="account-delete">${am.deleteAccount}</h3>
    <p part="text" id="account-warning">${am.deleteWarning}</p>
    ${account.about === 'delete' ? errorOf(host, account) : nothing}
    <div part="actions">
      <button part="button send-delete-code" type="button" aria-describedby="account-warning" ?disabled=${account.busy} @click=${send}>${am.sendDeleteCode}</button>
    </div>
  </section>`;
}

/** The code of either change: sent to `email` (the new address, or the current one to delete). */
function codeForm(host: FeatureHost, account: ElementAccount, am: AccountMessages, m: Messages, email: string): TemplateResult {
  const { html } = host;
  const changing = account.stage === 'email-code';
  const code = account.error?.code;
  // Every live code is burnt (no attempt left): nothing to type until a new code is sent.
  const spent = code === 'too_many_attempts' && account.error!.attemptsLeft === 0;
  const wrong = spent || code === 'invalid_code';
  const seconds = account.countdown.remaining;
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).querySelector('input')!;
    if (!digitsOf(input.value)) return input.focus();
    await (changing ? account.confirmEmail(input.value) : account.confirmDelete(input.value));
    // Deleted: the element is at its email step, and puts the focus there itself.
    if (account.stage === 'start') return account.done ? account.focus('#account-done') : undefined;
    await account.focus((account.host.element.renderRoot.querySelector('#account-code') as HTMLInputElement | null)?.disabled ? '[part~=account-resend]' : '#account-code');
  };
  const resend = async () => {
    await account.resend();
    await account.focus('#account-code');
  };
  const cancel = async () => {
    account.cancel();
    await account.focus(changing ? '#account-email' : '[part~=send-delete-code]');
  };
  return html`<div part="account-code">
    <p part="text" id="account-note">${host.withAddress(changing ? am.codeSentTo : am.deleteCodeSentTo, email)}</p>
    <form part="form account-code-form" novalidate @submit=${submit}>
      <label part="label" for="account-code">${m.codeLabel}</label>
      <input part="input code-input account-code-input" id="account-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
        required maxlength=${account.codeLength * 3} ?disabled=${spent} aria-invalid=${wrong} aria-describedby=${wrong ? 'account-error' : 'account-note'}>
      ${errorOf(host, account)}
      <button part="button primary submit ${changing ? 'confirm-email-change' : 'confirm-delete'}" ?disabled=${account.busy || spent}>
        ${changing ? am.changeEmail : am.confirmDelete}
      </button>
    </form>
    <div part="actions">
      <button part="button resend account-resend" type="button" ?disabled=${account.busy || seconds > 0} @click=${resend}>
        ${seconds > 0 ? m.resendIn(seconds) : m.resend}
      </button>
      <button part="button cancel" type="button" @click=${cancel}>${am.cancel}</button>
    </div>
  </div>`;
}
