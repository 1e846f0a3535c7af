/**
 * Under "Sign out" (and under the passkeys' and the account's disclosures where they are on):
 * "Two-step verification", a disclosure (closed, so the step stays short) that asks the server
 * for the status when opened:
 * - off: what it does, and "Turn on" → the QR code (drawn from the server's SVG, qr-code.ts), the
 *   key as text (grouped by 4, with "Copy key"), and the app's first code → the recovery codes;
 * - the recovery codes, shown once: "Download as a text file" (a Blob URL) and "I have saved them";
 * - on: since when, the recovery codes left, "New recovery codes" and "Turn off", each asking for
 *   an app code or a recovery code first.
 * Each stage puts the focus on what it asks for.
 */
import type { TemplateResult } from 'lit';
import type { TotpSetup } from '../../../contract/second-factor.ts';
import type { FeatureHost, StepExtra } from '../feature.ts';
import { attached, type ElementTotp } from './element-totp.ts';
import type { TotpMessages } from './messages.ts';
import { qrCode } from './qr-code.ts';
import { adoptStyles } from './totp-styles.ts';

/** A recovery code is 11 characters; an app code with spaces 6–18: room for either, pasted with spaces around. */
const PROOF_MAX = 24;

export const signedInPart: StepExtra<'signed-in'> = (host, _flow, m) => {
  const totp = attached.get(host.element);
  const tm = totp?.sentences;
  if (!totp || !tm) return host.nothing;
  totp.messages = m;
  adoptStyles(host.element);
  const { html } = host;
  return html`
    <details part="totp" ?open=${totp.open} @toggle=${(event: Event) => totp.track(totp.toggled((event.target as HTMLDetailsElement).open))}>
      <summary part="totp-summary">${tm.twoStep}</summary>
      <div part="totp-body">${totp.status ? stage(host, totp, tm) : errorOf(host, totp)}</div>
    </details>
    <div class="visually-hidden" role="status">${totp.said}</div>
  `;
};

function stage(host: FeatureHost, totp: ElementTotp, tm: TotpMessages): TemplateResult {
  const { html, nothing } = host;
  const status = totp.status!;
  switch (totp.stage) {
    case 'setup':
      return setupPart(host, totp, tm);
    case 'codes':
      return codesPart(host, totp, tm);
    case 'disable':
    case 'renew':
      return codeForm(host, totp, tm, tm.proveIt, totp.stage === 'disable' ? tm.turnOff : tm.newCodes, PROOF_MAX, (value) => totp.change(value), 'text');
    default:
      if (!status.enabled) {
        return html`<p part="text" id="totp-why">${tm.offWhy}</p>
          ${errorOf(host, totp)}
          <div part="actions">
            <button part="button totp-turn-on" type="button" aria-describedby="totp-why" ?disabled=${totp.busy} @click=${() => totp.track(totp.turnOn())}>${tm.turnOn}</button>
          </div>`;
      }
      return html`<p part="text totp-on">
          ${status.enabledAt ? tm.onSince(new Intl.DateTimeFormat(host.lang(), { dateStyle: 'medium' }).format(new Date(status.enabledAt))) : nothing}
          ${tm.codesLeft(status.recoveryCodesLeft)}
        </p>
        <div part="actions">
          <button part="button totp-new-codes" type="button" @click=${() => totp.track(totp.go('renew', '#totp-code'))}>${tm.newCodes}</button>
          <button part="button totp-turn-off" type="button" @click=${() => totp.track(totp.go('disable', '#totp-code'))}>${tm.turnOff}</button>
        </div>`;
  }
}

function setupPart(host: FeatureHost, totp: ElementTotp, tm: TotpMessages): TemplateResult {
  const { html } = host;
  const setup = totp.setup!;
  return html`<p part="text" id="totp-scan">${tm.scan}</p>
    <div part="totp-qr" role="img" aria-label=${tm.qrLabel}>${qrOf(setup)}</div>
    <p part="text totp-key">
      <span id="totp-key-label">${tm.secretLabel}</span>
      <code part="totp-secret" aria-labelledby="totp-key-label">${setup.secret.match(/.{1,4}/g)!.join(' ')}</code>
    </p>
    <div part="actions">
      <button part="button totp-copy" type="button" @click=${() => totp.track(totp.copy())}>${tm.copy}</button>
    </div>
    ${codeForm(host, totp, tm, tm.confirmCode, tm.verify, 18, (value) => totp.confirm(value), 'numeric')}`;
}

function codesPart(host: FeatureHost, totp: ElementTotp, tm: TotpMessages): TemplateResult {
  const { html } = host;
  return html`<h3 part="totp-heading" id="totp-codes-title" tabindex="-1">${tm.codesTitle}</h3>
    <p part="text" id="totp-codes-why">${tm.codesWhy}</p>
    <ul part="totp-codes" aria-labelledby="totp-codes-title">
      ${totp.codes!.map((code) => html`<li><code>${code}</code></li>`)}
    </ul>
    <div part="actions">
      <a part="button totp-download" href=${totp.download} download="recovery-codes.txt">${tm.download}</a>
      <button part="button primary totp-saved" type="button" @click=${() => totp.track(totp.go('start', '[part~=totp-summary]'))}>${tm.saved}</button>
    </div>`;
}

/** Each setup's QR code, made once (a render draws the same nodes again rather than new ones). */
const drawn = new WeakMap<TotpSetup, SVGSVGElement | null>();
function qrOf(setup: TotpSetup): SVGSVGElement | null {
  if (!drawn.has(setup)) drawn.set(setup, qrCode(setup.qrSvg));
  return drawn.get(setup)!;
}

/** A code's form: the setup's first app code, or a change's proof (an app code or a recovery code). */
function codeForm(
  host: FeatureHost,
  totp: ElementTotp,
  tm: TotpMessages,
  label: string,
  action: string,
  max: number,
  send: (value: string) => Promise<void>,
  mode: 'numeric' | 'text',
): TemplateResult {
  const { html, nothing } = host;
  const wrong = !!totp.error;
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).querySelector('input')!;
    if (input.value.trim()) totp.track(send(input.value));
    else input.focus();
  };
  return html`<form part="form totp-form" novalidate @submit=${submit}>
      <label part="label" for="totp-code">${label}</label>
      <input part="input totp-input" id="totp-code" name="code" type="text" inputmode=${mode} autocomplete=${mode === 'numeric' ? 'one-time-code' : 'off'}
        autocapitalize="none" spellcheck="false" required maxlength=${max} aria-invalid=${wrong} aria-describedby=${wrong ? 'totp-error' : nothing}>
      ${errorOf(host, totp)}
      <button part="button primary submit totp-submit" ?disabled=${totp.busy}>${action}</button>
    </form>
    <div part="actions">
      <button part="button cancel" type="button" @click=${() => totp.track(totp.go('start', '[part~=totp-summary]'))}>${tm.cancel}</button>
    </div>`;
}

function errorOf(host: FeatureHost, totp: ElementTotp): unknown {
  const { error } = totp;
  return error ? host.html`<p part="error totp-error" id="totp-error" role="alert">${totp.sentenceOf(error)}</p>` : host.nothing;
}
