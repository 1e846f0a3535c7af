/**
 * What the passkey ceremonies work with, injected by the composition root (backend.ts): the login
 * service's own context (store, clock, hasher, rules, mailer, hooks), so a passkey session is made
 * exactly as an email one is, plus the relying party and the challenges.
 */
import type { PasskeyInfo } from '../../contract/passkeys.ts';
import { loginContext, type LoginContext, type LoginServiceOptions } from '../login/login-context.ts';
import type { AuditLog } from '../observability/audit.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { PasskeyRecord } from '../store/types.ts';
import type { Challenges } from './challenge.ts';

/** The WebAuthn relying party: its ID (PASSKEY_RP_ID), name, and the origins a ceremony may run on. */
export interface RelyingParty {
  rpId: string;
  rpName: string;
  origins: string[];
}

export interface PasskeyServiceOptions {
  /** The same options the login service is built from. */
  login: LoginServiceOptions;
  relyingParty: RelyingParty;
  challenges: Challenges;
  /** `passwordless_passkey_ceremonies_total`. */
  metrics?: Pick<Metrics, 'passkeyCeremonies'>;
  /** `passkey_added` and `passkey_removed`; the passkey `sign_in` is the router's, which knows the client. */
  audit?: Pick<AuditLog, 'passkeyAdded' | 'passkeyRemoved'>;
}

export interface PasskeyContext {
  login: LoginContext;
  relyingParty: RelyingParty;
  challenges: Challenges;
  metrics?: PasskeyServiceOptions['metrics'];
  audit?: PasskeyServiceOptions['audit'];
}

export function passkeyContext(options: PasskeyServiceOptions): PasskeyContext {
  return { ...options, login: loginContext(options.login) };
}

/** A passkey as its owner sees it: no public key, no counter, no user id. */
export function toPasskeyInfo(passkey: PasskeyRecord): PasskeyInfo {
  return {
    id: passkey.id,
    name: passkey.name,
    createdAt: new Date(passkey.createdAt).toISOString(),
    lastUsedAt: passkey.lastUsedAt === null ? null : new Date(passkey.lastUsedAt).toISOString(),
    synced: passkey.backedUp,
  };
}
