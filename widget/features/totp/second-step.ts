/**
 * The second step, drawn by the module in the element's box: "Enter the code from your
 * authenticator app" (6 digits, sent by themselves once typed, as the element's code step does),
 * or, after "Use a recovery code", a text field for one. The error the element shows (a wrong
 * code and the attempts left) goes under the field.
 */
import { digitsOf } from '../../flow/code-digits.ts';
import type { StepView } from '../feature.ts';
import { attached, flowOf } from './element-totp.ts';
import { sentences } from './sentences.ts';

/** The app's codes (RFC 6238, 6 digits); a recovery code is `xxxxx-xxxxx`, 11 characters, with room for spaces around. */
const DIGITS = 6;
const RECOVERY_MAX = 20;

export const secondStep: StepView<'second-factor'> = {
  title: (m, _flow, element) => {
    const totp = attached.get(element);
    return (totp && sentences(totp.host)?.secondStepTitle) || m.title;
  },
  render(host, flow, _m, error) {
    const { html, element } = host;
    const totp = attached.get(element);
    const tm = sentences(host);
    if (!totp || !tm) return html``;
    const { recovery } = totp;
    const wrong = !!flow.error;
    const submit = (event: SubmitEvent) => {
      event.preventDefault();
      const input = (event.target as HTMLFormElement).querySelector('input')!;
      if (recovery ? input.value.trim() : digitsOf(input.value)) totp.track(totp.complete(input.value));
      else input.focus();
    };
    const typed = (event: InputEvent) => {
      const input = event.target as HTMLInputElement;
      const digits = digitsOf(input.value);
      if (digits !== input.value) input.value = digits;
      if (digits.length === DIGITS && !flowOf(element).busy) totp.track(totp.complete(digits));
    };
    return html`
      <p part="text" id="note">${tm.enterCode}</p>
      <form part="form second-factor-form" novalidate @submit=${submit}>
        <label part="label" for="code">${recovery ? tm.recoveryLabel : tm.appCodeLabel}</label>
        ${recovery
          ? html`<input part="input recovery-code-input" id="code" name="recovery-code" type="text" autocomplete="off" autocapitalize="none"
              spellcheck="false" required maxlength=${RECOVERY_MAX} aria-invalid=${wrong} aria-describedby=${wrong ? 'error' : 'note'}>`
          : html`<input part="input code-input totp-code-input" id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
              required maxlength=${DIGITS * 3} aria-invalid=${wrong} aria-describedby=${wrong ? 'error' : 'note'} @input=${typed}>`}
        ${error}
        <button part="button primary submit" ?disabled=${flow.busy}>${tm.verify}</button>
      </form>
      <div part="actions">
        <button part="button use-recovery-code" type="button" ?disabled=${flow.busy} @click=${() => totp.track(totp.switchField())}>
          ${recovery ? tm.useApp : tm.useRecoveryCode}
        </button>
        <button part="button cancel" type="button" @click=${() => element.reset()}>${tm.cancel}</button>
      </div>
    `;
  },
};
