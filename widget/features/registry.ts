/**
 * The feature modules by name, with the type of each, and what the fetched ones bring. A new
 * feature is a folder `features/<name>/` whose `index.ts` default-exports its module, and a line
 * in `Features`; the build and the backend pick up the folder by themselves.
 */
import type { Step } from '../flow/flow.ts';
import type { MessageOverrides } from '../i18n/catalogs.ts';
import { loadModule } from '../on-demand/on-demand.ts';
import type { AccessTokenFeature } from './access-token/index.ts';
import type { AccountFeature } from './account/index.ts';
import type { ApprovalFeature } from './approval/index.ts';
import type { StepExtra, StepView } from './feature.ts';
import type { LinkFeature } from './link/index.ts';
import type { PasskeyFeature } from './passkey/index.ts';
import type { TotpFeature } from './totp/index.ts';

export interface Features {
  /** The magic link: the landing step and "Continue", and the record of this browser's requests. */
  link: LinkFeature;
  /** `getAccessToken()`: tokens for the site's own API. */
  'access-token': AccessTokenFeature;
  /** Passkeys: autofill and a button on the email step, the offer and the list on the signed-in step. */
  passkey: PasskeyFeature;
  /** Cross-device approval: the number on the code step and its wait; on a link opened elsewhere, approving the device that asked. */
  approval: ApprovalFeature;
  /** Account management: change my email, delete my account, in an "Account" disclosure on the signed-in step. */
  account: AccountFeature;
  /** Two-step verification: the authenticator app's code after the first factor, and turning it on or off on the signed-in step. */
  totp: TotpFeature;
}

export type FeatureName = keyof Features;

/** The modules `/auth/config` turns on, which the element attaches to itself (features/feature.ts `ConfigFeature`). */
export type ConfigFeatureName = 'passkey' | 'approval' | 'account' | 'totp';

/** The steps of the feature modules fetched on this page, for every element of it. */
export const views: { [S in Step]?: StepView<S> } = {};

/**
 * What they add to the element's own steps, by module. Two modules may add to one step (the
 * passkeys' and the account's disclosures under "Sign out"): the element draws each module's
 * part, one under the other, where a flat map by step would keep only the last module's. The
 * order is this object's: the config's modules have their places from the start (null until
 * fetched), so it is passkey, approval, account on every page, whichever came in first (an element
 * of another backend may fetch the account module before this one fetches the passkey module);
 * a module without a place here goes after them, in the order it came in. 14 B gzip of the
 * script-tag file for the three places (December 2026).
 */
export const extras: { [N in FeatureName]?: { readonly [S in Step]?: StepExtra<S> } | null } = { passkey: null, approval: null, account: null };

/** The English of their sentences. */
export const english: MessageOverrides = {};

export async function loadFeature<N extends FeatureName>(name: N): Promise<Features[N]> {
  const feature = await loadModule('features', name);
  Object.assign(views, feature.steps);
  extras[name] = feature.extras;
  Object.assign(english, feature.en, { errors: { ...english.errors, ...feature.en?.errors } });
  return feature;
}
