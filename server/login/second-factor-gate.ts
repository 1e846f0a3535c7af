/**
 * Where a first factor hands over to a second one (second-factor/): the login service knows only
 * this shape, so the login room depends on nothing of the TOTP room (server/layout.test.ts), and
 * with TOTP=off there is no gate and no second step is ever asked.
 */
import type { SecondFactorChallenge } from '../../contract/second-factor.ts';
import type { UserRecord } from '../store/types.ts';

export type FirstFactorMethod = 'code' | 'link';

export interface SecondFactorGate {
  /**
   * After a right code, link or collected approval of an existing, unblocked user: null when this
   * user needs no second step (a session follows); otherwise the ticket of the second step, or a
   * throw (`second_factor_required` without `key`; `second_factor_setup_required` when the site
   * demands one the user has not set up). `key`: the `secondFactorKey` the first factor's body carried.
   */
  challenge(user: UserRecord, method: FirstFactorMethod, key: string | undefined): Promise<SecondFactorChallenge | null>;
}
