/**
 * `getAccessToken()` for the element: the site asks for it once signed in, when it calls its own
 * API, so the first visit does without it. The same code is built into `PasswordlessClient`
 * (session/access-tokens.ts).
 */
import { getAccessToken } from '../../session/access-tokens.ts';
import type { FeatureModule } from '../feature.ts';

export interface AccessTokenFeature extends FeatureModule {
  getAccessToken: typeof getAccessToken;
}

export default { getAccessToken } satisfies AccessTokenFeature;
