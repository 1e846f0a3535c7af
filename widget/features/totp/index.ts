/**
 * Two-step verification in the element (issue 16: authenticator-app codes, TOTP). Fetched when
 * `/auth/config` says `totp: true`, with the config, before a sign-in can finish on the page.
 *
 * - The second step (second-step.ts): after an email code or a magic link of an account with it
 *   on, the app's 6-digit code (or a recovery code) before any session exists. A passkey sign-in
 *   is strong enough on its own and never asks for it.
 * - The signed-in step (signed-in-part.ts): "Two-step verification", to turn it on (QR code, key,
 *   first code, recovery codes shown once), off, or get new recovery codes.
 *
 * It plugs in through what the element lends (element-totp.ts): the core carries only its name in
 * the config's list of modules. Its sentences are its own, as the passkey module's are
 * (sentences.ts): English here, every other language a file fetched with it where the element
 * speaks it.
 */
import type { ConfigFeature } from '../feature.ts';
import { attached, ElementTotp } from './element-totp.ts';
import { secondStep } from './second-step.ts';
import { signedInPart } from './signed-in-part.ts';

export type TotpFeature = ConfigFeature;

export default {
  steps: { 'second-factor': secondStep },
  extras: { 'signed-in': signedInPart },
  attach(host) {
    const { element } = host;
    if (attached.has(element)) return;
    attached.set(element, new ElementTotp(host));
    element.requestUpdate();
  },
} satisfies TotpFeature;
