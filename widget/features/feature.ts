/**
 * How a feature module plugs into the element. A feature is what the first visit does not need
 * (the magic-link landing, access tokens; next passkeys, approving a sign-in from the phone,
 * account management): it lives in `features/<name>/`, is built to
 * `dist/passwordless-login/features/<name>.js`, and is fetched the first time an element needs it.
 *
 * It brings any of: steps it draws (a step of the flow, flow/flow.ts, rendered inside the element's
 * box), parts it adds to the element's own steps (`extras`), the English of its sentences (other
 * languages translate them in their catalog), and calls of its own, which its entry in `Features`
 * (registry.ts) types.
 *
 * Where its sentences live: a feature most pages need (the link's, a dozen sentences) is
 * translated in the languages' catalogs, one fetch fewer. One with many sentences that only some
 * backends turn on brings its own languages instead, as `<name>-<tag>.js` chunks beside it,
 * fetched with it where the element speaks that language: the passkey module's 25 sentences would
 * add about 600 B to every catalog (Russian is at 1,554 of its 1,600 B), paid by every page in
 * that language, passkeys on or off; as its own files, only a page with passkeys pays, for one
 * language (passkey/sentences.ts). Everything it needs from the
 * element comes through the {@link FeatureHost}, Lit included: a module imports types from the
 * core, and stateless helpers at most, so it carries no second Lit and no second session.
 */
import type { html, nothing, TemplateResult } from 'lit';
import type { ConfigResponse, Locale, RequestResponse, VerifyBody } from '../../contract/index.ts';
import type { SecondFactorChallenge } from '../../contract/second-factor.ts';
import type { ApiResult } from '../api/api-client.ts';
import type { PasswordlessLogin } from '../element/passwordless-login.ts';
import type { LinkFragment } from '../magic-link/link-fragment.ts';
import type { FlowError, FlowState, Step } from '../flow/flow.ts';
import type { MessageOverrides } from '../i18n/catalogs.ts';
import type { Messages } from '../i18n/messages.ts';
import type { SessionKeeper } from '../session/session-keeper.ts';

export interface FeatureModule {
  /** English for the sentences the feature adds, its error sentences included (`Messages` extends the feature's own interface). */
  readonly en?: MessageOverrides;
  /** The steps it draws, by name. */
  readonly steps?: { readonly [S in Step]?: StepView<S> };
  /**
   * What it adds at the end of a step the element draws itself (`email`, `signed-in`): the
   * passkey button under the email form, the passkey offer and list under "Sign out".
   */
  readonly extras?: { readonly [S in Step]?: StepExtra<S> };
}

/**
 * A module the element fetches when `/auth/config` turns it on (passkey, approval, account), and
 * then attaches to each element: `link` is the magic link the page was opened from, `config` the
 * server's answer. The element waits for what it returns before it goes on.
 */
export interface ConfigFeature extends FeatureModule {
  attach(host: FeatureHost, link: LinkFragment | null, config: ConfigResponse): void | Promise<void>;
}

/** A part a feature adds to a step of the element's own; `nothing` where it has nothing to add. */
export type StepExtra<S extends Step> = (host: FeatureHost, flow: Extract<FlowState, { step: S }>, m: Messages) => unknown;

export interface StepView<S extends Step> {
  /** The heading of the step, which may depend on where the flow is and on who is signed in. */
  title(m: Messages, flow: Extract<FlowState, { step: S }>, element: PasswordlessLogin): string;
  /** The step under its heading; `error` is the error sentence (or nothing), to place under what it is about. */
  render(host: FeatureHost, flow: Extract<FlowState, { step: S }>, m: Messages, error: unknown): TemplateResult;
}

/** What the element lends a feature module. */
export interface FeatureHost {
  /** The element, through its public API (`user`, `reset()`…). */
  readonly element: PasswordlessLogin;
  /** Lit's `html` and `nothing`, from the copy in the script-tag file. */
  readonly html: typeof html;
  readonly nothing: typeof nothing;
  /** The session the element keeps. */
  readonly session: SessionKeeper;
  /** Signs in as the element's own forms do: busy while asking, then signed in or the error shown. */
  verify(body: VerifyBody, method: 'code' | 'link'): Promise<void>;
  /**
   * Signed in by the feature itself, which kept the session with `session.verify` (a passkey):
   * the signed-in step shows and `passwordless-success` fires, as after a code.
   */
  enter(): void;
  /** The language the element shows (a feature that brings its own sentences speaks it too). */
  lang(): Locale;
  /** Shows an error as the element's own steps do (and fires `passwordless-error`). */
  fail(error: FlowError): Promise<void>;
  /** A sentence naming an address, the address kept whole at its hyphens (as the element's own steps show it). */
  withAddress(sentence: (email: string) => string, email: string): TemplateResult;
  /**
   * Set by a feature that adds to the code request (the approval module, features/approval): the
   * element hands it `send`, which makes the request with `extra` in the body, and shows the
   * answer it resolves to. Unset, the element calls `send()` itself.
   */
  ask?: (send: (extra?: object) => Promise<ApiResult<RequestResponse>>) => Promise<ApiResult<RequestResponse>>;
  /**
   * Set by the approval module where it may offer to approve the sign-in of the device that asked
   * (the page was opened from a magic link in another browser): the link step as it draws it, which
   * the link module shows instead of its own; undefined where there is nothing to approve.
   * `address`: the one the link signs in, once the server has named it.
   */
  approval?: (host: FeatureHost, flow: Extract<FlowState, { step: 'link' }>, m: Messages, error: unknown, address?: string) => TemplateResult | undefined;
  /** Set by the approval module beside `approval`: the link step's heading once the approval is given, else undefined. */
  approvalTitle?: (flow: Extract<FlowState, { step: 'link' }>) => string | undefined;
  /**
   * Set by the totp module where the server has a second factor, for a first factor that does
   * not go through `verify` (the approval the asking browser collects, features/approval):
   * `key()` is the `secondFactorKey` to add to its body and the secret behind it (null without
   * `crypto.subtle`); `challenged` shows the second step when the answer is a
   * `SecondFactorChallenge` instead of a session.
   */
  secondFactor?: {
    key(): Promise<{ key: string; secret: string } | null>;
    challenged(challenge: SecondFactorChallenge['secondFactor'], secret: string, method: 'code' | 'link'): Promise<void>;
  };
}
