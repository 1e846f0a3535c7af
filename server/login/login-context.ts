/**
 * What every part of the login service works with, injected by the composition root
 * (backend.ts): the store, the mailer, the clock, the hasher and the rules. No Koa here, so the
 * tests move the clock instead of sleeping and swap the store for another.
 */
import type { AuditLog } from '../observability/audit.ts';
import { silentLogger, type Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Hasher } from '../secrets/hasher.ts';
import type { Retention, Store } from '../store/types.ts';
import type { Clock } from '../time/clock.ts';
import type { Mailer } from '../mail/types.ts';
import type { LoginHooks } from './hooks.ts';
import type { LoginRules } from './rules.ts';
import type { SecondFactorGate } from './second-factor-gate.ts';

export interface LoginServiceOptions {
  store: Store;
  mailer: Mailer;
  clock: Clock;
  hash: Hasher;
  rules: LoginRules;
  /** How long login states matter (retention.ts): the sweep deletes them past it. */
  retention: Retention;
  /** The landing page used when a request names none (the backend's own `/auth/link`). */
  defaultLanding: string;
  /** Counted where decided: codes issued, verify outcomes, per-email limits, revoked sessions, approvals. */
  metrics?: Pick<Metrics, 'codesRequested' | 'verifies' | 'rateLimited' | 'mailBusy' | 'sessionsRevoked' | 'approvals'>;
  /**
   * Where a new user, a revoke of all of a user's sessions, an erased, blocked or unblocked user and
   * a change of address are recorded;
   * sign-ins and single sign-outs are audited by the router, which knows the client.
   */
  audit?: Pick<AuditLog, 'userCreated' | 'signOut' | 'userDeleted' | 'userBlocked' | 'userUnblocked' | 'emailChanged' | 'emailChangeUndone' | 'passkeyRemoved' | 'totpDisabled'>;
  /** The host's hooks (hooks.ts); none by default. */
  hooks?: LoginHooks;
  /** Where failing hooks are logged; default silent. */
  logger?: Logger;
  /** The second step after a first factor (TOTP=on, second-factor/); absent: none is ever asked. */
  secondFactor?: SecondFactorGate;
}

/** The options with the defaults filled in, as the request, verify and sessions modules see them. */
export interface LoginContext extends LoginServiceOptions {
  logger: Logger;
  hooks: LoginHooks;
}

export function loginContext(options: LoginServiceOptions): LoginContext {
  return { ...options, logger: options.logger ?? silentLogger, hooks: options.hooks ?? {} };
}
