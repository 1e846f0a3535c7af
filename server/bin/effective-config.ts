/**
 * What a running backend really uses, in words an operator can check at a glance: the start's
 * `listening` log entry and `passwordless-login doctor` both print it. No password, no secret:
 * a Redis or PostgreSQL URL keeps `***` for its password, SMTP shows only its host:port and user.
 */
import type { Config } from '../config.ts';
import { smtpServerOf } from '../mail/smtp-probe.ts';
import { withoutPassword } from '../secrets/without-password.ts';

export interface EffectiveConfiguration {
  production: boolean;
  publicUrl: string;
  /** The backend's own origin included. */
  allowedOrigins: string[];
  redirectUrls: string[];
  /** `json file /abs/data/passwordless.json`, `redis redis://:***@host:6379` or `postgresql postgres://app:***@host/db schema passwordless`. */
  store: string;
  /** `smtp mail.example.com:587 as alice` or `dev mailbox (in memory, not sent)`. */
  mail: string;
  mailFrom: string;
  /** `on, RP ID example.com ("Example")` or `off`. */
  passkeys: string;
}

export function effectiveConfiguration(config: Config): EffectiveConfiguration {
  return {
    production: config.production,
    publicUrl: config.publicUrl,
    allowedOrigins: config.allowedOrigins,
    redirectUrls: config.redirectUrls,
    store: config.databaseUrl
      ? `postgresql ${withoutPassword(config.databaseUrl)} schema ${config.databaseSchema}`
      : config.redisUrl
        ? `redis ${withoutPassword(config.redisUrl)}`
        : `json file ${config.dataFile}`,
    mail: config.smtpUrl ? describeSmtp(config.smtpUrl) : 'dev mailbox (in memory, not sent)',
    mailFrom: config.mailFrom,
    passkeys: config.passkeys ? `on, RP ID ${config.passkeys.rpId} (${JSON.stringify(config.passkeys.rpName)})` : 'off',
  };
}

function describeSmtp(smtpUrl: string): string {
  const user = readableUser(new URL(smtpUrl).username);
  return `smtp ${smtpServerOf(smtpUrl)}${user ? ` as ${user}` : ''}`;
}

/** The user as typed; nodemailer accepts `smtp://100%ok:pw@host`, whose `%ok` no decoder reads. */
function readableUser(username: string): string {
  try {
    return decodeURIComponent(username);
  } catch {
    return username;
  }
}
