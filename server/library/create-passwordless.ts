/**
 * `createPasswordless(options)`: what `passwordless-login serve` runs (store, mailer, login
 * service, router), built through the same composition root (backend.ts), for a host application
 * to mount and to call.
 *
 * The options are config.ts's typed settings, validated by its one schema (a bad value fails here
 * exactly as its environment variable fails `serve`, named as the option), plus the host's hooks,
 * its mail function, logger and clock. Meteor's names are accepted for the three settings it has
 * (`tokenSequenceLength`, `loginTokenExpirationHours`, `userCreationDisabled`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Middleware } from 'koa';
import type { AccessTokenClaims } from '../access/access-tokens.ts';
import type { ApprovalWaitOutcome } from '../approval/approval-waits.ts';
import type { ApprovalDescription } from '../../contract/approval.ts';
import { createBackend, type Backend } from '../backend.ts';
import { ConfigError, dottedName, resolveConfig, type Config, type SettingName, type Settings } from '../config.ts';
import { errorsMiddleware } from '../http/errors-middleware.ts';
import { wellKnownJwks } from '../http/router.ts';
import { wellKnownWebauthn } from '../http/passkey-routes.ts';
import { SecondFactorSchema } from '../http/second-factor-schemas.ts';
import { parseBody } from '../http/validate.ts';
import type { PasskeyInfo } from '../../contract/passkeys.ts';
import { ApiError, type Locale, type User, type VerifyResponse } from '../../contract/index.ts';
import type { TotpRecoveryCodes, TotpSetup } from '../../contract/second-factor.ts';
import { LoginError } from '../login/login-error.ts';
import type { SecondFactorProof } from '../second-factor/second-factor-service.ts';
import type { LoginHooks } from '../login/hooks.ts';
import { checkSmtp, type SmtpCheck } from '../mail/smtp-probe.ts';
import type { OutgoingMail } from '../mail/types.ts';
import type { Logger } from '../observability/logger.ts';
import { systemClock, type Clock } from '../time/clock.ts';
import type { AdminOverview, AuditEntry } from '../../contract/admin.ts';
import { listAuditEntries, overview } from '../observability/audit-query.ts';
import type { AuditQuery } from '../store/types.ts';

/** Meteor's names (accounts-passwordless) for three settings, with the setting each stands for. */
export interface MeteorNames {
  /** `codeLength` (Meteor: token sequence length): 6 to 10 digits. */
  tokenSequenceLength?: number;
  /** `codeTtlSeconds` in hours (0.5 = 30 minutes): 1 minute to 24 hours. */
  loginTokenExpirationHours?: number;
  /** `userCreation: false`. */
  userCreationDisabled?: boolean;
}

export interface PasswordlessOptions extends Settings, MeteorNames, LoginHooks {
  /** Replaces the mail transport: gets each rendered mail, off the request path. */
  sendMail?: (message: OutgoingMail) => void | Promise<void>;
  /** Default: JSON lines on stderr. */
  logger?: Logger;
  /** Default: the system clock; tests move a manual one. */
  clock?: Clock;
}

export interface Passwordless {
  /** The API under `basePath`, for a Koa app: `app.use(passwordless.middleware)`. */
  middleware: Middleware;
  /** The bare @koa/router (no error answers: mount `middleware` unless the host renders LoginErrors). */
  router: Backend['router'];
  /** The standalone app as a `node:http` handler (API, link page, widget bundle) for non-Koa hosts. */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  service: Backend['service'];
  config: Config;
  /**
   * Checks an access token in process (signature, `typ`, `iss`, `aud`, `exp`) and returns its
   * claims; throws otherwise. Services elsewhere verify the same tokens against the key set at
   * `/.well-known/jwks.json` with any JWT library.
   */
  verifyAccessToken(token: string): Promise<AccessTokenClaims>;
  /**
   * Connects to `smtpUrl`'s server and logs in (nodemailer's `verify()`, at most 5 s), without
   * sending: `{ok, server, sentence}`, the sentence naming host:port, the cause and the fix.
   * null without `smtpUrl` (a `sendMail` hook or the dev mailbox). Construction never waits for
   * it: call it where your app decides whether to start.
   */
  checkSmtp(): Promise<SmtpCheck | null>;
  /** The user's passkeys as they see them (name, created, last used, synced), oldest first; [] with `passkeys: false`. */
  listPasskeys(userId: string): Promise<PasskeyInfo[]>;
  /**
   * Removes one of the user's passkeys (a lost device, a support request), audited as
   * `passkey_removed`; false when the user has no passkey with this credential ID, or with `passkeys: false`.
   */
  removePasskey(userId: string, id: string): Promise<boolean>;
  /**
   * Cross-device approval for a headless client served by your own server: one long poll (about
   * 25 s) of the asking side, with the `approval.id` of `service.requestLogin({…, approval})`'s
   * answer and the secret whose SHA-256 was its key. `{status: 'approved', answer}` (the session,
   * made exactly once), `refused`, or `waiting` (call again). `signal` ends it early. No per-IP
   * cap here: your code is the caller.
   */
  waitForApproval(approval: { id: string; secret: string; secondFactorKey?: string }, signal?: AbortSignal): Promise<ApprovalWaitOutcome>;
  /** What is asking, for the device holding the link token (spends nothing). */
  describeApproval(token: string): Promise<ApprovalDescription>;
  /** The number picked on the device holding the link: right, the asking side is woken on every instance; wrong, a LoginError. */
  approveLogin(token: string, number: number): Promise<void>;
  /** The user with this id, or null (`service.findUser` also finds one by address). */
  getUser(userId: string): Promise<User | null>;
  /**
   * Blocks a user (an abuser): every session ends, the address gets the same 202 as anyone and
   * no mail, and no code, link, approval or passkey signs in, not even one issued before.
   * Audited `user_blocked` (with `by`, who blocked). The user, or null when there is none.
   */
  blockUser(userId: string, options?: { by?: string }): Promise<User | null>;
  /** Lifts a block (audited `user_unblocked`); the user, or null when there is none. */
  unblockUser(userId: string, options?: { by?: string }): Promise<User | null>;
  // --- The audit trail kept in the store and the overview (issue 15) ---
  /**
   * The audit trail as the store keeps it (AUDIT_RETENTION_DAYS), newest first: one user's with
   * `userId`; `before` (ms) pages back (pass the oldest entry's time); `limit` 1 to 200. A bad
   * query throws `InvalidAuditQuery`. This process's entries are written before the read; other
   * instances' reach the store within about a second.
   */
  listAudit(query: AuditQuery): Promise<AuditEntry[]>;
  /** Users, live sessions, and the last 30 UTC days (oldest first) of sign-ins by method and mail sent and failed. */
  overview(): Promise<AdminOverview>;
  // --- Authenticator-app codes, a second factor (issue 16); each throws when TOTP is off ---
  /**
   * A new secret for the user, not on until `enableTotp` confirms it (nothing is written):
   * `{secret (base32), uri (otpauth://), qrSvg, setupToken}`. `409 totp_already_enabled` when on.
   */
  setupTotp(userId: string): Promise<TotpSetup>;
  /**
   * Turns it on with the secret the host showed (`setupTotp`'s, or its own base32) and the app's
   * current code: `{recoveryCodes}` (ten, shown once), a notice mailed, audited `totp_enabled`.
   * `401 invalid_code`, `409 totp_already_enabled`, `invalid_request` for an unknown user.
   */
  enableTotp(userId: string, input: { secret: string; code: string; locale?: Locale }): Promise<TotpRecoveryCodes>;
  /**
   * Whether the code is the user's current app code (or `recoveryCode` one of theirs), spending it
   * (each once); a wrong one counts against the address's cap. False when off.
   */
  verifyTotp(userId: string, proof: SecondFactorProof): Promise<boolean>;
  /** Turns it off by the host's decision (no proof asked); notice mailed, audited `totp_disabled`. False when it was off. */
  disableTotp(userId: string, options?: { locale?: Locale }): Promise<boolean>;
  /**
   * The second step in the host's own server code, as `POST /auth/second-factor`: the ticket a
   * first factor answered (`service.verifyCode`, `verifyLink`, `waitForApproval` with a
   * `secondFactorKey`), the 32 bytes whose SHA-256 was that key (base64url), and the app's `code`
   * or one `recoveryCode` → the session. Checked as over HTTP (one cap with the email codes, each
   * try counted before its check): `400 invalid_request`, `401 invalid_second_factor`,
   * `401 invalid_code` (+ `attemptsLeft`), `429 too_many_attempts`.
   */
  completeSecondFactor(input: { ticket: string; secret: string; code?: string; recoveryCode?: string }): Promise<VerifyResponse>;
  /** Waits for mail in flight, writes the audit entries still waiting, stops the sweeper, closes the store. */
  close(): Promise<void>;
}

export async function createPasswordless(options: PasswordlessOptions = {}): Promise<Passwordless> {
  const { settings, nameOf } = settingsFrom(options);
  const config = resolveConfig(settings, nameOf);
  const { logger, clock, sendMail, allowedEmailDomains, validateNewUser, onUserCreated, onLogin, onLogout, onPasskeyAdded, onUserDeleted, onEmailChanged, requireSecondFactor } = options;
  const hooks: LoginHooks = { allowedEmailDomains, validateNewUser, onUserCreated, onLogin, onLogout, onPasskeyAdded, onUserDeleted, onEmailChanged, requireSecondFactor };
  const backend = await createBackend(config, { logger, clock, sendMail, hooks });
  const { router, service } = backend;
  const errors = errorsMiddleware(backend.logger);
  const routes = router.routes() as Middleware;
  const methods = router.allowedMethods() as Middleware;
  const jwks = wellKnownJwks(backend.accessTokens);
  const { passkeys } = backend;
  const webauthn = passkeys ? wellKnownWebauthn(passkeys.relyingParty.origins) : null;
  const totp = () => {
    if (!backend.secondFactor) throw new Error('authenticator-app codes are off (TOTP=off, or the option totp: false)');
    return backend.secondFactor;
  };
  return {
    // Error answers wrap only the API's own paths: a host's other routes keep their own handling.
    middleware: (ctx, next) => {
      if (ctx.path.startsWith(`${config.basePath}/`)) return errors(ctx, () => routes(ctx, () => methods(ctx, next)));
      return jwks(ctx, () => (webauthn ? webauthn(ctx, next) : next()));
    },
    router,
    handler: backend.app.callback(),
    service,
    config,
    verifyAccessToken: (token) => backend.accessTokens.verify(token),
    checkSmtp: async () => (config.smtpUrl && !sendMail ? checkSmtp(config.smtpUrl, { settingName: nameOf(['smtpUrl']) }) : null),
    listPasskeys: async (userId) => (passkeys ? passkeys.listPasskeys(userId) : []),
    removePasskey: async (userId, id) => (passkeys ? passkeys.removePasskey(userId, id) : false),
    waitForApproval: ({ id, secret, secondFactorKey }, signal) => backend.approvals.wait(id, secret, null, signal, secondFactorKey),
    describeApproval: (token) => service.describeApproval(token),
    approveLogin: (token, number) => backend.approvals.approve(token, number),
    getUser: (userId) => service.findUser({ id: userId }),
    blockUser: (userId, blockOptions) => service.blockUser(userId, blockOptions),
    unblockUser: (userId, blockOptions) => service.unblockUser(userId, blockOptions),
    // What this process did is written first: an operator sees their own action at once (other instances' within about a second).
    listAudit: async (query) => {
      await backend.auditTrail?.flush();
      return listAuditEntries(backend.store, query);
    },
    overview: async () => {
      await backend.auditTrail?.flush();
      return overview(backend.store, clock ?? systemClock);
    },
    setupTotp: async (userId) => {
      const service = totp();
      const user = await backend.store.findUserById(userId);
      if (!user) throw LoginError.of(ApiError.noSuchUser);
      return service.setupFor(user);
    },
    // async: with TOTP off each call rejects, as every other failure of these calls does.
    enableTotp: async (userId, input) => totp().enableFor(userId, input),
    verifyTotp: async (userId, proof) => totp().verifyFor(userId, proof),
    disableTotp: async (userId, disableOptions) => totp().disableFor(userId, disableOptions?.locale),
    completeSecondFactor: async (input) => {
      // The route's schema: a host's input is checked as a browser's is (never a TypeError).
      const { ticket, secret, code, recoveryCode } = parseBody(SecondFactorSchema, input);
      return (await totp().complete(code !== undefined ? { ticket, secret, code } : { ticket, secret, recoveryCode: recoveryCode! })).answer;
    },
    close: () => backend.close(),
  };
}

/**
 * The settings as the schema takes them: empty values (`''`, `[]`, what `process.env.X` gives for
 * an unset or empty variable) count as not set, as they do in the environment; Meteor's names
 * become ours (the setting's own name wins when both are given). And a namer that reports an
 * error under the name the caller used.
 */
function settingsFrom(options: PasswordlessOptions): { settings: Settings; nameOf: SettingName } {
  const { tokenSequenceLength, loginTokenExpirationHours, userCreationDisabled } = options;
  const settings = Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== '' && !(Array.isArray(value) && value.length === 0)),
  ) as Settings;
  const used = new Map<keyof Settings, keyof MeteorNames>();
  if (settings.codeLength === undefined && tokenSequenceLength !== undefined) {
    settings.codeLength = tokenSequenceLength;
    used.set('codeLength', 'tokenSequenceLength');
  }
  if (settings.codeTtlSeconds === undefined && loginTokenExpirationHours !== undefined) {
    // Checked here in its own unit: the schema's bounds are in seconds.
    if (typeof loginTokenExpirationHours !== 'number' || !(loginTokenExpirationHours >= 1 / 60 && loginTokenExpirationHours <= 24)) {
      throw new ConfigError(`loginTokenExpirationHours must be a number of hours from 1/60 (a minute) to 24, got ${JSON.stringify(loginTokenExpirationHours)}`);
    }
    settings.codeTtlSeconds = Math.round(loginTokenExpirationHours * 3600);
    used.set('codeTtlSeconds', 'loginTokenExpirationHours');
  }
  if (settings.userCreation === undefined && userCreationDisabled !== undefined) {
    if (typeof userCreationDisabled !== 'boolean') throw new ConfigError(`userCreationDisabled must be true or false, got ${JSON.stringify(userCreationDisabled)}`);
    settings.userCreation = !userCreationDisabled;
    used.set('userCreation', 'userCreationDisabled');
  }
  return { settings, nameOf: (path) => used.get(path[0] as keyof Settings) ?? dottedName(path) };
}
