/**
 * The server library, `passwordless-login/server`: `createPasswordless(options)` (library/) and
 * the types a host needs to call it, hook into it and verify its access tokens.
 */
export { createPasswordless } from './library/create-passwordless.ts';
export type { MeteorNames, Passwordless, PasswordlessOptions } from './library/create-passwordless.ts';
export type { Config, Settings } from './config.ts';
export { ConfigError } from './config.ts';
export type { LoginHooks } from './login/hooks.ts';
export type { LoginService, LoginTarget, LoginTokenOptions, SendLoginTokenEmailInput } from './login/login-service.ts';
export type { DkimConfig, OutgoingMail } from './mail/types.ts';
export type { SmtpCheck, SmtpFailureCause } from './mail/smtp-probe.ts';
export type { AccessTokenResponse, Locale, RequestResponse, SessionResponse, User, VerifyResponse } from '../contract/index.ts';
export type { PasskeyInfo } from '../contract/passkeys.ts';
export type { TotpRecoveryCodes, TotpSetup, TotpStatus } from '../contract/second-factor.ts';
export type { SecondFactorProof } from './second-factor/second-factor-service.ts';
export type { AccessTokenClaims } from './access/access-tokens.ts';
export type { Logger } from './observability/logger.ts';
export type { Clock } from './time/clock.ts';
export { LoginError } from './login/login-error.ts';
export { InvalidUserListQuery } from './store/user-list.ts';
export type { UserListQuery, UserSort } from './store/user-list.ts';
export type { ErasedUser } from './login/erase-user.ts';
export { InvalidAuditQuery } from './store/audit-records.ts';
export type { AuditQuery } from './store/types.ts';
export type { AdminDay, AdminOverview, AuditEntry } from '../contract/admin.ts';
