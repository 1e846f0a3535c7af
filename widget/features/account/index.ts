/**
 * Account changes in the element (issue 15: accounts for people and for operators). Fetched when
 * `/auth/config` says `account` is not `false`, with the config; until the person opens the
 * "Account" disclosure on the signed-in step it asks the server nothing.
 *
 * - Change my email: a code to the new address, the address changed once it is entered
 *   (`passwordless-email-changed`), the old address told, with a link that undoes the change.
 * - Delete my account: a code to the current address; once entered the account is erased, the
 *   element back at the email step (`passwordless-account-deleted`, then `passwordless-signed-out`).
 *
 * Its sentences are its own, as the passkey module's are (sentences.ts): English here, every other
 * language a file fetched with it where the element speaks it.
 */
import type { ConfigFeature } from '../feature.ts';
import { attached, ElementAccount } from './element-account.ts';
import { signedInPart } from './signed-in-part.ts';

export type AccountFeature = ConfigFeature;

export default {
  extras: { 'signed-in': signedInPart },
  attach(host, _link, config) {
    const { element } = host;
    if (attached.has(element) || !config.account) return;
    attached.set(element, new ElementAccount(host, config.account));
    element.requestUpdate();
  },
} satisfies AccountFeature;
