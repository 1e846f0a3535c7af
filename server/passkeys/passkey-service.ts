/**
 * The passkey service: the one object the router and the host's server code call for passkeys. A
 * facade over registration.ts, sign-in.ts and passkey-list.ts, counting each ceremony's outcome
 * (`passwordless_passkey_ceremonies_total`). Plain TypeScript, no Koa, like the login service.
 */
import type { VerifyResponse } from '../../contract/index.ts';
import type { PasskeyCredentialJSON, PasskeyInfo, PasskeyOptionsResponse } from '../../contract/passkeys.ts';
import { LoginError } from '../login/login-error.ts';
import type { PasskeyCeremony, PasskeyOutcome } from '../observability/metrics.ts';
import { passkeyContext, type PasskeyContext, type PasskeyServiceOptions, type RelyingParty } from './passkey-context.ts';
import * as list from './passkey-list.ts';
import * as registration from './registration.ts';
import type { RegisterInput } from './registration.ts';
import * as signIn from './sign-in.ts';

export type { PasskeyServiceOptions, RelyingParty } from './passkey-context.ts';
export type { RegisterInput } from './registration.ts';

/** The outcome label of each refusal's code; anything else (an outage) is not a decision and is not counted. */
const OUTCOME_OF: Readonly<Record<string, PasskeyOutcome>> = {
  invalid_passkey: 'invalid',
  unknown_passkey: 'unknown',
  stale_session: 'stale',
  too_many_passkeys: 'too_many',
  unauthenticated: 'unauthenticated',
};

export class PasskeyService {
  readonly #context: PasskeyContext;

  constructor(options: PasskeyServiceOptions) {
    this.#context = passkeyContext(options);
  }

  get relyingParty(): RelyingParty {
    return this.#context.relyingParty;
  }

  /** Options to sign in with any passkey of this RP ID; writes nothing. */
  signInOptions(): Promise<PasskeyOptionsResponse> {
    return signIn.signInOptions(this.#context);
  }

  /** Checks a passkey's answer and makes a session, as `POST /verify` does (`method: 'passkey'`). */
  signIn(credential: PasskeyCredentialJSON): Promise<VerifyResponse> {
    return this.#counted('sign_in', credential.id, signIn.signIn(this.#context, credential));
  }

  /** Options to add a passkey, for a fresh session's user; writes nothing. */
  registrationOptions(sessionToken: string | null): Promise<PasskeyOptionsResponse> {
    return registration.registrationOptions(this.#context, sessionToken);
  }

  /** Checks a new passkey's answer and stores it, for a fresh session's user. */
  register(sessionToken: string | null, input: RegisterInput): Promise<PasskeyInfo> {
    return this.#counted('register', input.credential.id, registration.register(this.#context, sessionToken, input));
  }

  listPasskeys(userId: string): Promise<PasskeyInfo[]> {
    return list.listPasskeys(this.#context, userId);
  }

  renamePasskey(userId: string, id: string, name: string): Promise<PasskeyInfo> {
    return list.renamePasskey(this.#context, userId, id, name);
  }

  /** Removes the user's passkey; false when it is not theirs or already gone. */
  removePasskey(userId: string, id: string): Promise<boolean> {
    return list.removePasskey(this.#context, userId, id);
  }

  /**
   * Counts the ceremony's outcome, and logs each `invalid` one with its cause ("the signature
   * counter went back", "made on a site this server does not serve"): a rise of them is a cloned
   * authenticator or a phishing page relaying answers, and the operator must be able to tell which
   * and for which passkey. The credential ID is the caller's text, so only its first 64 characters.
   */
  async #counted<T>(ceremony: PasskeyCeremony, credentialId: string, answer: Promise<T>): Promise<T> {
    const metrics = this.#context.metrics?.passkeyCeremonies;
    try {
      const result = await answer;
      metrics?.inc({ ceremony, outcome: 'ok' });
      return result;
    } catch (error) {
      const outcome = error instanceof LoginError ? OUTCOME_OF[error.code] : undefined;
      if (outcome) metrics?.inc({ ceremony, outcome });
      if (outcome === 'invalid') {
        this.#context.login.logger.warn({ msg: `passkey ${ceremony} refused: ${(error as LoginError).message}`, event: 'passkey_refused', ceremony, credentialId: credentialId.slice(0, 64) });
      }
      throw error;
    }
  }
}
