/**
 * Under "Sign out": the offer of a passkey right after a sign-in by email, and "Passkeys", a
 * disclosure (closed, so the step stays two lines and a button) over the list of the person's
 * passkeys, each to rename (an inline field) or remove (after a confirmation).
 */
import type { TemplateResult } from 'lit';
import type { PasskeyInfo } from '../../../contract/passkeys.ts';
import type { FeatureHost, StepExtra } from '../feature.ts';
import { attached, sentenceOf, type ElementPasskeys } from './element-passkeys.ts';
import type { PasskeyMessages } from './messages.ts';

/** The longest name the server keeps (contract/passkeys.ts). */
const NAME_MAX = 64;

export const signedInPart: StepExtra<'signed-in'> = (host, _flow, m) => {
  const passkeys = attached.get(host.element);
  const pm = passkeys?.sentences;
  if (!passkeys || !pm) return host.nothing;
  passkeys.messages = m;
  const { html, nothing } = host;
  const { busy, offer, error } = passkeys;
  return html`
    ${offer
      ? html`<section part="passkey-offer" aria-labelledby="passkey-offer">
          <p part="text" id="passkey-offer">${pm.offer}</p>
          <div part="actions">
            <button part="button primary add-passkey" type="button" ?disabled=${busy} @click=${() => passkeys.add()}>${pm.addPasskey}</button>
            <button part="button not-now" type="button" ?disabled=${busy} @click=${() => notNow(passkeys)}>${pm.notNow}</button>
          </div>
        </section>`
      : nothing}
    ${error ? html`<p part="error passkey-error" role="alert">${sentenceOf(error, pm, m)}</p>` : nothing}
    <details part="passkeys" ?open=${passkeys.open} @toggle=${(event: Event) => toggled(passkeys, event)}>
      <summary part="passkeys-summary">${pm.passkeys}</summary>
      ${passkeys.list ? list(host, passkeys, pm, passkeys.list) : nothing}
    </details>
    <div class="visually-hidden" role="status">${passkeys.status}</div>
  `;
};

function list(host: FeatureHost, passkeys: ElementPasskeys, pm: PasskeyMessages, items: PasskeyInfo[]): TemplateResult {
  const { html, nothing } = host;
  const date = new Intl.DateTimeFormat(host.lang(), { dateStyle: 'medium' });
  const when = (iso: string) => date.format(new Date(iso));
  const { busy } = passkeys;
  return html`
    ${items.length
      ? html`<ul part="passkey-list">
          ${items.map(
            (p, i) => html`<li part="passkey">
              ${passkeys.renaming === p.id
                ? renameForm(host, passkeys, pm, p)
                : html`<span part="passkey-name" id="passkey-${i}">${p.name}</span>`}
              <span part="text passkey-details">
                ${pm.created(when(p.createdAt))} · ${p.lastUsedAt ? pm.lastUsed(when(p.lastUsedAt)) : pm.neverUsed} ·
                ${p.synced ? pm.synced : pm.thisDevice}
              </span>
              ${passkeys.removing === p.id
                ? html`<p part="text" id="passkey-confirm">${pm.confirmRemove(p.name)}</p>
                    <div part="actions">
                      <button part="button primary confirm-remove" type="button" aria-describedby="passkey-confirm" ?disabled=${busy}
                        @click=${() => passkeys.remove(p.id)}>${pm.remove}</button>
                      <button part="button cancel" type="button" @click=${() => edit(passkeys, { removing: null }, `#remove-${i}`)}>${pm.cancel}</button>
                    </div>`
                : passkeys.renaming === p.id
                  ? nothing
                  : html`<div part="actions">
                      <button part="button rename" id="rename-${i}" type="button" aria-describedby="passkey-${i}" ?disabled=${busy}
                        @click=${() => edit(passkeys, { renaming: p.id, removing: null }, '#passkey-name')}>${pm.rename}</button>
                      <button part="button remove" id="remove-${i}" type="button" aria-describedby="passkey-${i}" ?disabled=${busy}
                        @click=${() => edit(passkeys, { removing: p.id, renaming: null }, '[part~="confirm-remove"]')}>${pm.remove}</button>
                    </div>`}
            </li>`,
          )}
        </ul>`
      : html`<p part="text">${pm.none}</p>`}
    ${passkeys.offer
      ? nothing
      : html`<div part="actions">
          <button part="button add-passkey" type="button" ?disabled=${busy} @click=${() => passkeys.add()}>${pm.addPasskey}</button>
        </div>`}
  `;
}

function renameForm(host: FeatureHost, passkeys: ElementPasskeys, pm: PasskeyMessages, passkey: PasskeyInfo): TemplateResult {
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).querySelector('input')!;
    const name = input.value.trim();
    if (name) void passkeys.rename(passkey.id, name);
    else input.focus();
  };
  return host.html`<form part="form passkey-rename" novalidate @submit=${submit}>
    <label part="label" for="passkey-name">${pm.nameLabel}</label>
    <input part="input passkey-name-input" id="passkey-name" name="name" type="text" required maxlength=${NAME_MAX} .value=${passkey.name} />
    <div part="actions">
      <button part="button primary save" ?disabled=${passkeys.busy}>${pm.save}</button>
      <button part="button cancel" type="button" @click=${() => edit(passkeys, { renaming: null })}>${pm.cancel}</button>
    </div>
  </form>`;
}

/** Opens or closes an inline edit, then moves the focus to what now asks for it. */
async function edit(passkeys: ElementPasskeys, change: Partial<Pick<ElementPasskeys, 'renaming' | 'removing'>>, focus?: string): Promise<void> {
  Object.assign(passkeys, change, { error: null });
  passkeys.update();
  await passkeys.host.element.updateComplete;
  if (focus) passkeys.host.element.renderRoot.querySelector<HTMLElement>(focus)?.focus();
}

function toggled(passkeys: ElementPasskeys, event: Event): void {
  const open = (event.target as HTMLDetailsElement).open;
  if (open === passkeys.open) return;
  passkeys.open = open;
  if (open) void passkeys.showList();
}

/** The offer goes: the focus, which was on "Not now", goes to "Sign out" rather than to the page. */
async function notNow(passkeys: ElementPasskeys): Promise<void> {
  passkeys.notNow();
  await passkeys.host.element.updateComplete;
  passkeys.host.element.renderRoot.querySelector<HTMLElement>('[part~="sign-out"]')?.focus();
}
