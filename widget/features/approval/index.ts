/**
 * Cross-device approval in the element (issue: sign in where you started). Fetched when
 * `/auth/config` says `approvals: true`, with the config, before a code can be asked for.
 *
 * - The device that asked (asking.ts): its code request carries an approval key, and its code step
 *   shows the number to pick on the other device and waits; once approved there it is signed in,
 *   as after a code (`passwordless-success`, `method: 'link'`).
 * - The other device (phone.ts): a magic link opened in another browser offers to sign in the
 *   device that asked (three numbers, one of them right) or this one.
 *
 * Its sentences are its own, as the passkey module's are (sentences.ts): English here, every other
 * language a file fetched with it where the element speaks it.
 */
import type { LinkFragment } from '../../magic-link/link-fragment.ts';
import type { FeatureHost, FeatureModule } from '../feature.ts';
import { attachAsking, codePart } from './asking.ts';
import { attachPhone } from './phone.ts';

export interface ApprovalFeature extends FeatureModule {
  /**
   * Called once the module is in, for each element whose server has approvals on; `link`: the
   * magic link the page was opened from. Resolves once the server has said whether that link may
   * approve the browser that asked (the element opens the link step after).
   */
  attach(host: FeatureHost, link: LinkFragment | null): Promise<void>;
}

export default {
  extras: { code: codePart },
  attach(host, link) {
    attachAsking(host);
    return attachPhone(host, link);
  },
} satisfies ApprovalFeature;
