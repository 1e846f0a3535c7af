/**
 * Passkeys in the element (issue: passkeys). Fetched when `/auth/config` says `passkeys: true`
 * and the browser has `PublicKeyCredential`, before any sign-in can finish on the page (the
 * element waits for it with the config), so it hears the sign-in it may offer a passkey after.
 *
 * - The email step: the field gets `autocomplete="username webauthn"` and passkey autofill
 *   (element-passkeys.ts `startAutofill`), and "Sign in with a passkey" (email-part.ts).
 * - The signed-in step: the offer right after a sign-in by email, and the list (signed-in-part.ts).
 *
 * Its sentences are its own (messages.ts), not the languages' catalogs: English here, every other
 * language a file fetched with the module where the element speaks it (sentences.ts), so a page
 * without passkeys pays nothing for them, and one with passkeys pays for one language.
 */
import type { FeatureHost, FeatureModule } from '../feature.ts';
import { emailPart } from './email-part.ts';
import { attached, ElementPasskeys } from './element-passkeys.ts';
import { signedInPart } from './signed-in-part.ts';

export interface PasskeyFeature extends FeatureModule {
  /** Called once the module is in, for each element whose server has passkeys on. */
  attach(host: FeatureHost): void;
}

/**
 * The list and the offer: what the element's own style sheet does not know (its parts, custom
 * properties and colours are reused). Chromium lays out an open <details> as its summary and one
 * box of content, so the flex gap does not reach "Add a passkey" under the list: its margin does.
 */
const styles = `[part~=passkey-list]{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:var(--_space)}
[part~=passkey]{display:flex;flex-direction:column;gap:calc(var(--_space)*.5)}
[part~=passkey-name]{font-weight:600;overflow-wrap:anywhere}
[part~=passkey-offer],[part~=passkeys][open]{display:flex;flex-direction:column;gap:var(--_space)}
[part~=passkeys-summary]{cursor:pointer;color:var(--_accent)}
[part~=passkeys]>[part~=actions]{margin-top:var(--_space)}`;

let sheet: CSSStyleSheet | undefined;

export default {
  extras: { email: emailPart, 'signed-in': signedInPart },
  attach(host) {
    const { element } = host;
    if (attached.has(element)) return;
    const passkeys = new ElementPasskeys(host);
    attached.set(element, passkeys);
    const root = element.shadowRoot;
    if (root) {
      sheet ??= new CSSStyleSheet();
      sheet.replaceSync(styles);
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    }
    element.requestUpdate();
    // The email step may be showing already (it is the first): its field is marked and its autofill starts now.
    void passkeys.startAutofill();
  },
} satisfies PasskeyFeature;
