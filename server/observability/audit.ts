/**
 * The audit trail: one structured log entry per sign-in, sign-out, user creation or erasure, passkey added or removed,
 * change of address, block and admin action, marked
 * `audit: true` so a log shipper can route them apart (to a SIEM, or an append-only bucket). The
 * log stream is the trail; with an `AuditTrail` (audit-trail.ts, on unless AUDIT_RETENTION_DAYS
 * is 0) each entry is also kept in the store for the retention, queryable by user (the admin
 * console, `listAudit`), written in batches off the request path.
 *
 * Entries name the user by id and the client by its rate-limit key (IPv4, or the IPv6 /64):
 * never the email address, a code or a token.
 */
import type { Clock } from '../time/clock.ts';
import type { AuditTrail } from './audit-trail.ts';
import type { Logger } from './logger.ts';
import type { VerifyMethod } from './metrics.ts';

export interface AuditLog {
  /** `approved`: a link sign-in collected by the asking browser after the right number was picked on another device. */
  signIn(entry: { userId: string; method: VerifyMethod; clientKey: string; approved?: true; secondFactor?: 'totp' | 'recovery' }): void;
  signOut(entry: { userId: string }): void;
  userCreated(entry: { userId: string }): void;
  /** A passkey enrolled: the credential ID is public (the authenticator shows it to any site asking), so it may be logged. */
  passkeyAdded(entry: { userId: string; credentialId: string }): void;
  passkeyRemoved(entry: { userId: string; credentialId: string }): void;
  /**
   * A user erased (deleteUser): the id is all that remains of them, here and nowhere else. `by`
   * names where the erasure came from when not the library (`cli`: `passwordless-login users delete`).
   */
  userDeleted(entry: { userId: string; by?: string }): void;
  /** The user's address changed (confirmed by a code to the new one); neither address is logged. */
  emailChanged(entry: { userId: string }): void;
  /** The old address's link undid a change of address (every session ended with it). */
  emailChangeUndone(entry: { userId: string }): void;
  /** Blocked or unblocked by an operator (`by`: the admin's user id, or `cli`). */
  userBlocked(entry: { userId: string; by?: string }): void;
  userUnblocked(entry: { userId: string; by?: string }): void;
  /** An operator's call in the admin console: the action, its target user, and the admin's user id. */
  adminAction(entry: { action: string; userId: string; by: string }): void;
  /**
   * Authenticator-app codes turned on or off by their user (second-factor/). `by` names who else
   * turned them off: `undo` (an undone change of address, account/totp-since.ts), `cli`.
   */
  totpEnabled(entry: { userId: string }): void;
  totpDisabled(entry: { userId: string; by?: string }): void;
}

/** The fields a store keeps of an entry (AuditRecord); the log line keeps them all. */
const KEPT = ['userId', 'method', 'action', 'by', 'clientKey'] as const;

export function createAuditLog(logger: Logger, clock: Clock, trail?: AuditTrail): AuditLog {
  // `at` from the injected clock: the time the service decided, the one tests can move.
  const write = (event: string, fields: Record<string, unknown>) => {
    const at = clock.now();
    logger.info({ msg: `audit ${event}`, audit: true, event, ...fields, at: new Date(at).toISOString() });
    if (trail) trail.add({ at, event, ...Object.fromEntries(KEPT.filter((key) => typeof fields[key] === 'string').map((key) => [key, fields[key]])) });
  };
  return {
    signIn: ({ userId, method, clientKey, approved, secondFactor }) => write('sign_in', { userId, method, clientKey, ...(approved ? { approved } : {}), ...(secondFactor ? { secondFactor } : {}) }),
    signOut: ({ userId }) => write('sign_out', { userId }),
    userCreated: ({ userId }) => write('user_created', { userId }),
    passkeyAdded: ({ userId, credentialId }) => write('passkey_added', { userId, credentialId }),
    passkeyRemoved: ({ userId, credentialId }) => write('passkey_removed', { userId, credentialId }),
    userDeleted: ({ userId, by }) => write('user_deleted', { userId, ...(by ? { by } : {}) }),
    emailChanged: ({ userId }) => write('email_changed', { userId }),
    emailChangeUndone: ({ userId }) => write('email_change_undone', { userId }),
    userBlocked: ({ userId, by }) => write('user_blocked', { userId, ...(by ? { by } : {}) }),
    userUnblocked: ({ userId, by }) => write('user_unblocked', { userId, ...(by ? { by } : {}) }),
    adminAction: ({ action, userId, by }) => write('admin_action', { action, userId, by }),
    totpEnabled: ({ userId }) => write('totp_enabled', { userId }),
    totpDisabled: ({ userId, by }) => write('totp_disabled', { userId, ...(by ? { by } : {}) }),
  };
}
