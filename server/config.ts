/**
 * The configuration: every setting, its default and its bounds, in one zod schema over typed
 * settings. `createPasswordless(options)` passes its settings as they are (library/); the command
 * line builds them from environment variables (bin/environment.ts), an adapter that only turns
 * strings into values. Bad values stop the start with one ConfigError that lists every one of
 * them at once, each a sentence naming the setting as its caller wrote it, what it must look like
 * and what it got: `codeLength must be …` for the library, `CODE_LENGTH must be …` for the
 * environment. Defaults are the development ones; production refuses to guess the security ones.
 * Each setting with its variable and reasons: docs/configuration.md.
 */
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import { parseEmailAddress } from './login/email-address.ts';
import type { LoginRules } from './login/rules.ts';
import type { DkimConfig } from './mail/types.ts';
import { withoutPassword } from './secrets/without-password.ts';

/** What an operator sets. All optional; each has an environment variable (bin/environment.ts). */
export interface Settings {
  /** `production` applies the production checks: `publicUrl`, `secret` and `smtpUrl` required, rate limits on, no demo or dev mailbox. */
  nodeEnv?: string;
  /** Where `passwordless-login serve` listens: default 3000 (a host app that mounts the library listens itself). */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** The backend's public origin; every link is built from it, never from request headers. Default `http://localhost:<port>`. In production it must be https (or loopback) unless `allowHttpPublicUrl`. */
  publicUrl?: string;
  /** Lets production run on an `http://` `publicUrl` that is not loopback (TLS ends elsewhere and the operator says so); logged as a warning. Default false. */
  allowHttpPublicUrl?: boolean;
  /** Where the API is mounted: default `/auth`. */
  basePath?: string;
  /** The site's name, the heading of the magic link's landing page: default the host of `publicUrl`. */
  siteName?: string;
  /** The JSON store: default `./data/passwordless.json`. */
  dataFile?: string;
  /** Redis instead of the JSON file, for several instances (then `secret` is required). */
  redisUrl?: string;
  // PostgreSQL: the store (and the per-IP counters) in a database several instances share.
  /** `postgres://user:pass@host:5432/db` (or `postgresql://`): PostgreSQL instead of the JSON file (then `secret` is required; not with `redisUrl`). */
  databaseUrl?: string;
  /** The schema the tables live in, created if missing: default `passwordless`. */
  databaseSchema?: string;
  /** Connections to PostgreSQL per instance, at most: 1 to 100, default 10. */
  databasePoolSize?: number;
  /** Key for the hashes at rest, at least 32 characters; default: generated once beside `dataFile` (not in production). */
  secret?: string;
  /** The JSON store writes a new snapshot once its journal outgrows this and twice the snapshot: default 8 MiB. */
  jsonCompactBytes?: number;
  /** `smtp://user:pass@host:port` or `smtps://…`; absent: the in-memory dev mailbox. */
  smtpUrl?: string;
  /** What `passwordless-login serve` does when SMTP fails its check at start: `required` stops the start, `warn` logs and starts. Default `required` in production, else `warn`. The library never blocks: call `checkSmtp()`. */
  smtpCheck?: 'required' | 'warn';
  /** The `From` header: default `Sign-in <no-reply@<publicUrl's host>>`. */
  mailFrom?: string;
  /** Further tries of a refused or failed mail, with backoff: 0 to 10, default 3. */
  mailRetries?: number;
  /**
   * Login mails waiting to go out (accepted, not yet sent or given up) beyond which a code
   * request is answered 503 `mail_busy` with `Retry-After` instead of a promise the queue would
   * break: 1 to 1,000,000, default 10,000.
   */
  mailQueueSize?: number;
  /** A directory whose `<template>.<locale>.html|txt` files replace the built-in email templates. */
  templatesDir?: string;
  /** DKIM-sign outgoing SMTP mail (nodemailer's `dkim`). */
  dkim?: DkimConfig & Record<string, unknown>;
  /** Browser origins allowed to call the API (CORS), besides the backend's own (`publicUrl`, and its 127.0.0.1 twin in development), which always are. */
  allowedOrigins?: string[];
  /** Allowed `redirectTo` prefixes: default each allowed origin + `/`; the backend's own `publicUrl` + `/` always is. */
  redirectUrls?: string[];
  /** Proxies in front whose X-Forwarded-For is trusted for the client IP: 0 to 10, default 0 (the socket). */
  trustProxy?: number;
  /** Sessions in an HttpOnly `__Host-` cookie instead of the answer body (same-site APIs): default false. */
  sessionCookie?: boolean;
  /** `false` lifts the per-email and per-IP limits, for load tests; refused in production. Default true. */
  rateLimits?: boolean;
  /** Code requests per client IP (IPv6 by /64) per 15 minutes: default 30. */
  requestsPerIp?: number;
  /** Verifies per client IP per 15 minutes: default 60. */
  verifiesPerIp?: number;
  /** Digits in a code: 6 to 10, default 6 (NIST 800-63B: at least 6). */
  codeLength?: number;
  /** Lifetime of a code and its link: 60 to 86,400 seconds, default 600 (ASVS 2.7.2: short-lived). */
  codeTtlSeconds?: number;
  /** Seconds before the same address may ask again: 0 to 3600, default 60. */
  resendSeconds?: number;
  /** Wrong codes per address, across resends, before every live code is void: 1 to 100, default 5. */
  maxAttempts?: number;
  /** Session lifetime: 60 seconds to a year, default 30 days (NIST AAL1 reauthentication). */
  sessionTtlSeconds?: number;
  /** `false`: only existing users sign in; unknown addresses get the same answer and no mail. Default true. */
  userCreation?: boolean;
  /** Codes per address per hour, on top of the resend wait: 1 to 1000, default 5. */
  codesPerHour?: number;
  /** Bearer token for `GET /metrics`, at least 16 characters; absent: no /metrics. */
  metricsToken?: string;
  /** Lifetime of access tokens (JWT) exchanged for a session: 60 to 3600 seconds, default 300. */
  accessTokenTtlSeconds?: number;
  /** The access tokens' `aud` claim: default `publicUrl`. */
  accessTokenAudience?: string;
  /** Seconds each signing key signs before the next takes over: at least a day, default 7 days. */
  signingKeyRotationSeconds?: number;
  /** Passkey sign-in and enrolment (WebAuthn): default true. Email codes and links stay a way in either way. */
  passkeys?: boolean;
  /** The WebAuthn relying party ID: the host of `publicUrl` (default) or a registrable suffix of it (`example.com` for `auth.example.com`). */
  passkeyRpId?: string;
  /** The relying party's name the browser may show beside a passkey: default `siteName`. */
  passkeyRpName?: string;
  /** Cross-device approval (the phone approves the browser that asked): default true. */
  approvals?: boolean;
  /** Authenticator-app codes as a second factor for the accounts that turn them on: default true. */
  totp?: boolean;
  /** A signed-in person may change their address, confirmed by a code to the new one: default true. */
  accountEmailChange?: boolean;
  /** A signed-in person may delete their account, confirmed by a code: default true. */
  accountDeletion?: boolean;
  // --- The audit trail kept in the store (issue 15) ---
  /** Days the audit trail and the overview's daily counts are kept in the store: 0 to 3650, default 90; 0 keeps none (the log only). */
  auditRetentionDays?: number;
  // The operators' console (server/admin/).
  /** Addresses whose sessions may use the console at `/admin`; absent or empty: no console (404). Compared as sign-in addresses are (case, IDN). */
  adminEmails?: string[];
}

/** The settings resolved: every default filled in, every rule checked. What the backend is built from. */
export interface Config extends LoginRules {
  production: boolean;
  port: number;
  /** Production on a non-loopback http `publicUrl`, allowed by `allowHttpPublicUrl`. */
  allowHttpPublicUrl: boolean;
  smtpCheck: 'required' | 'warn';
  /** What the operator allowed but should hear about at every start (logged as warnings). */
  warnings: string[];
  host: string;
  publicUrl: string;
  siteName: string;
  /** `null` means "generate once and keep beside the data file". */
  secret: string | null;
  /** Absolute. */
  dataFile: string;
  redisUrl: string | null;
  /** PostgreSQL: null for another store. */
  databaseUrl: string | null;
  databaseSchema: string;
  databasePoolSize: number;
  smtpUrl: string | null;
  mailFrom: string;
  /** The effective list: the configured origins and the backend's own. */
  allowedOrigins: string[];
  /** The effective list: the configured prefixes and the backend's own `publicUrl` + `/`. */
  redirectUrls: string[];
  basePath: string;
  /** Per client IP (IPv6 by /64), per 15-minute window: code requests and verifies. */
  ipLimits: IpLimits;
  trustProxy: number;
  sessionCookie: boolean;
  jsonCompactBytes: number;
  /** null: no /metrics endpoint (404). */
  metricsToken: string | null;
  mailRetries: number;
  mailQueueSize: number;
  /** Absolute, or null for the built-in templates. */
  templatesDir: string | null;
  dkim: DkimConfig | null;
  accessTokenTtlSeconds: number;
  accessTokenAudience: string;
  signingKeyRotationSeconds: number;
  /** Passkeys: null when PASSKEYS is off (no passkey route is mounted). */
  passkeys: PasskeyConfig | null;
  /** Cross-device approval's routes are mounted and `approvalKey` is heard (APPROVALS). */
  approvals: boolean;
  /** The second factor's routes are mounted and a first factor may ask for the second step (TOTP). */
  totp: boolean;
  /** The change-of-address routes and their undo page are mounted (ACCOUNT_EMAIL_CHANGE). */
  accountEmailChange: boolean;
  /** The delete-my-account routes are mounted (ACCOUNT_DELETION). */
  accountDeletion: boolean;
  /** Days the audit trail and daily counts are kept in the store; 0: none (AUDIT_RETENTION_DAYS). */
  auditRetentionDays: number;
  // The operators' console (server/admin/).
  /** The identity keys (login/email-address.ts) of ADMIN_EMAILS; empty: `/admin` and its API are 404. */
  adminEmails: string[];
  /** The backend's own origins (`publicUrl`, and its 127.0.0.1 twin in development): the only ones the console's API answers. */
  ownOrigins: string[];
}

/** The WebAuthn relying party the passkey ceremonies check answers against. */
export interface PasskeyConfig {
  rpId: string;
  rpName: string;
  /**
   * The origins a ceremony may run on: the backend's own and every allowed one (the embedding
   * sites, which browsers let use the RP ID when `/.well-known/webauthn` lists them).
   */
  origins: string[];
}

export interface IpLimits {
  requests: number;
  verifies: number;
  windowSeconds: number;
}

/** Every problem of a configuration at once: one sentence each, so one restart fixes them all. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly problems: string[];
  constructor(problems: string | string[]) {
    const list = typeof problems === 'string' ? [problems] : problems;
    super(list.length === 1 ? list[0]! : `${list.length} settings need fixing:\n  ${list.join('\n  ')}`);
    this.problems = list;
  }
}

/** How the caller names a setting in messages: `['codeLength']` → `codeLength` (library) or `CODE_LENGTH` (environment). */
export type SettingName = (path: readonly PropertyKey[]) => string;

/** The library's spelling: `codeLength`, `dkim.privateKey`. */
export const dottedName: SettingName = (path) => path.map(String).join('.');

/** 15 minutes: long enough to slow a scan, short enough that an office behind one NAT recovers. */
const IP_WINDOW_SECONDS = 900;

/** One sentence for every way a number can be wrong (not a number, fractional, out of range). */
const int = (min: number, max: number) => {
  const error = `must be a whole number from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};
const bool = z.boolean({ error: 'must be true or false' });
const text = (error: string) => z.string({ error }).min(1, { error });
const origin = (error: string) =>
  z.url({ protocol: /^https?$/, error }).transform((value, ctx) => {
    const url = new URL(value);
    if (url.pathname !== '/' || url.search || url.hash || url.username) {
      ctx.addIssue({ code: 'custom', message: error });
      return z.NEVER;
    }
    return url.origin;
  });
const BARE_ORIGIN = 'must be a bare origin like https://auth.example.com (http or https, no path)';
const ORIGIN_LIST = 'must list bare origins like https://app.example.com (http or https, no path)';
const SCHEMA_NAME = 'must be a schema name of lower-case letters, digits and _ (at most 63), like passwordless';
const RP_ID = 'must be a lower-case domain name like example.com (no scheme, no port)';
const DOMAIN_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
const ADMIN_LIST = 'must list email addresses like ops@example.com, comma-separated';
const urlPrefix = z.url({ protocol: /^https?$/, error: 'must list URL prefixes like https://app.example.com/welcome' }).transform((value) => new URL(value).href);

const SettingsSchema = z.object({
  nodeEnv: z.string({ error: 'must be a word like production' }).optional(),
  port: int(0, 65535).default(3000),
  host: text('must be an interface address like 127.0.0.1 or 0.0.0.0').default('127.0.0.1'),
  publicUrl: origin(BARE_ORIGIN).optional(),
  allowHttpPublicUrl: bool.default(false),
  basePath: z.string({ error: 'must be a path like /auth' }).regex(/^\/[A-Za-z0-9/_-]*[A-Za-z0-9_-]$/, { error: 'must be a path like /auth' }).default('/auth'),
  // 80 characters: a name, not a sentence; it is a heading on a 375 px screen.
  siteName: z.string({ error: 'must be text' }).trim().min(1, { error: 'must not be empty' }).max(80, { error: 'must be at most 80 characters' }).optional(),
  dataFile: text('must be a file path like ./data/passwordless.json').default('./data/passwordless.json'),
  redisUrl: z.url({ protocol: /^rediss?$/, hostname: /./, error: 'must start with redis:// or rediss://, like redis://127.0.0.1:6379' }).optional(),
  // PostgreSQL.
  databaseUrl: z.url({ protocol: /^postgres(ql)?$/, hostname: /./, error: 'must start with postgres:// or postgresql://, like postgres://user:pass@127.0.0.1:5432/app' }).optional(),
  // An unquoted SQL identifier: it is written into statements (quoted), so it must be plain.
  databaseSchema: z.string({ error: SCHEMA_NAME }).regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: SCHEMA_NAME }).default('passwordless'),
  databasePoolSize: int(1, 100).default(10),
  secret: z.string({ error: 'must be text' }).min(32, { error: 'must be at least 32 characters (e.g. `openssl rand -base64 32`)' }).optional(),
  jsonCompactBytes: int(1024, 1_000_000_000).default(8 * 1024 * 1024),
  smtpUrl: z.url({ protocol: /^smtps?$/, hostname: /./, error: 'must start with smtp:// or smtps://, like smtp://user:pass@mail.example.com:587' }).optional(),
  smtpCheck: z.enum(['required', 'warn'], { error: 'must be required or warn' }).optional(),
  mailFrom: z.string({ error: 'must be an address like Sign-in <no-reply@example.com>' }).min(3, { error: 'must be an address like Sign-in <no-reply@example.com>' }).optional(),
  mailRetries: int(0, 10).default(3),
  mailQueueSize: int(1, 1_000_000).default(10_000),
  templatesDir: text('must be a directory path').optional(),
  // Loose: nodemailer's other DKIM options (cacheDir, skipFields…) pass through to it.
  dkim: z
    .looseObject(
      {
        domainName: z.string({ error: 'must be a domain name like example.com' }).regex(/^[A-Za-z0-9.-]+$/, { error: 'must be a domain name like example.com' }),
        keySelector: z.string({ error: 'must be a DNS label like mail2026' }).regex(/^[A-Za-z0-9._-]+$/, { error: 'must be a DNS label like mail2026' }),
        privateKey: z.string({ error: 'must be a PEM private key' }).regex(/-----BEGIN (RSA |EC )?PRIVATE KEY-----/, { error: 'must be a PEM private key (-----BEGIN PRIVATE KEY-----)' }),
      },
      { error: 'must be an object with domainName, keySelector and privateKey' },
    )
    .optional(),
  allowedOrigins: z.array(origin(ORIGIN_LIST), { error: ORIGIN_LIST }).optional(),
  redirectUrls: z.array(urlPrefix, { error: 'must list URL prefixes like https://app.example.com/welcome' }).optional(),
  trustProxy: int(0, 10).default(0),
  sessionCookie: bool.default(false),
  rateLimits: bool.default(true),
  requestsPerIp: int(1, 1_000_000).default(30),
  verifiesPerIp: int(1, 1_000_000).default(60),
  codeLength: int(6, 10).default(6),
  codeTtlSeconds: int(60, 86_400).default(600),
  resendSeconds: int(0, 3600).default(60),
  maxAttempts: int(1, 100).default(5),
  sessionTtlSeconds: int(60, 31_536_000).default(2_592_000),
  userCreation: bool.default(true),
  codesPerHour: int(1, 1000).default(5),
  // 16 characters at least: the token is the only thing between the internet and the counters.
  metricsToken: z.string({ error: 'must be text' }).min(16, { error: 'must be at least 16 characters (e.g. `openssl rand -hex 16`)' }).optional(),
  // 1 to 60 minutes: short enough that a revoked session stops working soon, long enough to cache.
  accessTokenTtlSeconds: int(60, 3600).default(300),
  accessTokenAudience: z.string({ error: 'must be 1 to 200 characters, like https://api.example.com' }).min(1, { error: 'must be 1 to 200 characters, like https://api.example.com' }).max(200, { error: 'must be 1 to 200 characters, like https://api.example.com' }).optional(),
  // A day at least: verifiers cache the key set, and each key is published a period ahead.
  signingKeyRotationSeconds: int(86_400, 31_536_000).default(7 * 86_400),
  passkeys: bool.default(true),
  approvals: bool.default(true),
  totp: bool.default(true),
  accountEmailChange: bool.default(true),
  accountDeletion: bool.default(true),
  // Ten years at most: a trail is kept for an investigation or a regulator, not for ever.
  auditRetentionDays: int(0, 3650).default(90),
  // The operators' console: each item an address the sign-in policy accepts, kept as its identity key.
  adminEmails: z.array(z.string({ error: ADMIN_LIST }).transform((value, ctx) => parseEmailAddress(value)?.key ?? (ctx.addIssue({ code: 'custom', message: ADMIN_LIST }), z.NEVER)), { error: ADMIN_LIST }).optional(),
  passkeyRpId: z.string({ error: RP_ID }).regex(DOMAIN_NAME, { error: RP_ID }).max(253, { error: RP_ID }).optional(),
  // 80 characters, as SITE_NAME: a name the browser shows in its passkey dialog.
  passkeyRpName: z.string({ error: 'must be text' }).trim().min(1, { error: 'must not be empty' }).max(80, { error: 'must be at most 80 characters' }).optional(),
});

/** Settings whose value a message never repeats: it says how long it was instead. */
const SECRET_SETTINGS: ReadonlySet<string> = new Set(['secret', 'metricsToken', 'dkim.privateKey']);

/** What a message shows of the value it refuses: quoted text, a URL without its password, a secret's length only. */
function shown(path: readonly PropertyKey[], value: unknown): string {
  if (SECRET_SETTINGS.has(path.map(String).join('.'))) return typeof value === 'string' ? `${value.length} characters` : typeof value;
  // Whatever parses or not: `user:pass@host` with its scheme mistyped (`smtp//u:p@h`, or none)
  // is no URL to `new URL`, and still holds a password.
  if (typeof value === 'string') return JSON.stringify(withoutPassword(value));
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/** A zod issue as an operator reads it: `PORT must be a whole number from 0 to 65,535, got "abc"`. */
function sentence(issue: z.core.$ZodIssue, nameOf: SettingName): string {
  // A bad item of a list is named by its list: `ALLOWED_ORIGINS must list …, got "ftp://b.example"`.
  const path = typeof issue.path[1] === 'number' ? issue.path.slice(0, 1) : issue.path;
  return `${nameOf(path)} ${issue.message}, got ${shown(path, issue.input)}`;
}

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// A setting documented in `Settings` but missing from the schema, or typed otherwise, fails the type check.
true satisfies Same<keyof Settings, keyof z.input<typeof SettingsSchema>> & Same<Settings, z.input<typeof SettingsSchema>>;

/** Loopback hosts: traffic to them never leaves the machine, and browsers treat them as secure contexts. */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * An http URL to a host that is not loopback: what crosses a network in clear. Read through
 * `URL`, as the schema reads it, so `HTTP://Auth.example.com` and `http://localhost/` are judged
 * by their scheme and host, not their spelling. Anything that is no URL is the schema's problem.
 */
function clearOverNetwork(value: unknown): boolean {
  if (typeof value !== 'string' || !URL.canParse(value)) return false;
  const url = new URL(value);
  return url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * The rules between settings, over the settings as given (so they are checked even when a value
 * failed the schema): each broken rule is one sentence with its fix.
 */
function crossSettingProblems(settings: Settings, name: (key: keyof Settings) => string): string[] {
  const problems: string[] = [];
  const production = settings.nodeEnv === 'production';
  const env = `when ${name('nodeEnv')}=production`;
  if (production) {
    const examples = { publicUrl: 'https://auth.example.com', secret: 'the output of `openssl rand -base64 32`', smtpUrl: 'smtp://user:pass@mail.example.com:587' };
    for (const key of ['publicUrl', 'secret', 'smtpUrl'] as const) {
      if (settings[key] === undefined) problems.push(`${name(key)} is required ${env}: set it to ${examples[key]}`);
    }
    if (settings.rateLimits === false) problems.push(`${name('rateLimits')} cannot be off ${env}: the limits stop code guessing and mail bombing (off is for load tests)`);
    // Over http a code, a link's token and a session token cross the network in clear. Loopback
    // is let through: nothing crosses a network, and a production build tried on one machine
    // should not need a flag. A proxy that ends TLS in front is the case for the explicit option.
    if (clearOverNetwork(settings.publicUrl) && settings.allowHttpPublicUrl !== true) {
      problems.push(`${name('publicUrl')} must be https ${env}, got ${JSON.stringify(settings.publicUrl)}: links, codes and sessions would cross the network in clear. Use the https origin people reach (TLS may end at a proxy), or set ${name('allowHttpPublicUrl')}=true to accept the risk`);
    }
  }
  // A key generated beside one instance's data file would differ on the next instance, and a
  // code mailed by one could never be verified by another.
  if (settings.redisUrl !== undefined && settings.secret === undefined) {
    problems.push(`${name('secret')} is required with ${name('redisUrl')}: every instance must hash codes, links and sessions with the same key (\`openssl rand -base64 32\`)`);
  }
  if (settings.databaseUrl !== undefined && settings.secret === undefined) {
    problems.push(`${name('secret')} is required with ${name('databaseUrl')}: every instance must hash codes, links and sessions with the same key (\`openssl rand -base64 32\`)`);
  }
  if (settings.databaseUrl !== undefined && settings.redisUrl !== undefined) {
    problems.push(`${name('databaseUrl')} and ${name('redisUrl')} are both set: choose one store (to move data between them, see \`passwordless-login migrate\`)`);
  }
  // `__Host-` cookies must be Secure; browsers accept that over http only on loopback.
  const rpIdProblem = rpIdMismatch(settings);
  if (rpIdProblem) problems.push(`${name('passkeyRpId')} ${rpIdProblem}`);
  if (settings.sessionCookie === true && clearOverNetwork(settings.publicUrl)) {
    problems.push(`${name('sessionCookie')} needs an https ${name('publicUrl')} (the cookie is Secure), got ${JSON.stringify(settings.publicUrl)}`);
  }
  return problems;
}

/**
 * Why PASSKEY_RP_ID cannot serve the backend's host, or null. Browsers accept an RP ID only when it
 * is the page's host or a registrable suffix of it (WebAuthn §5.1.3): `example.com` for
 * `auth.example.com`, never a bare top-level label like `com`, never another site. The public
 * suffix list is not bundled, so `co.uk` for `auth.example.co.uk` passes here and the browser
 * refuses it at the first ceremony.
 */
function rpIdMismatch(settings: Settings): string | null {
  const { passkeyRpId } = settings;
  // With no PUBLIC_URL the backend is http://localhost:<port> (resolveConfig).
  const publicUrl = settings.publicUrl ?? 'http://localhost';
  // A value that is no domain name is the schema's problem, said once.
  if (typeof passkeyRpId !== 'string' || !DOMAIN_NAME.test(passkeyRpId) || typeof publicUrl !== 'string' || !URL.canParse(publicUrl)) return null;
  const host = new URL(publicUrl).hostname;
  if (passkeyRpId === host) return null;
  // An IP address has no parent domain to share.
  if (host.endsWith(`.${passkeyRpId}`) && passkeyRpId.includes('.') && !/^[0-9.]+$/.test(host)) return null;
  return `must be the host of the public URL (${host}) or a domain it ends with, like ${host.split('.').slice(-2).join('.')}: browsers refuse passkeys for any other, got ${JSON.stringify(passkeyRpId)}`;
}

/**
 * Checks `settings` and fills in the defaults; throws one ConfigError listing every problem, each
 * naming its setting as `nameOf` gives it. `earlier` are problems the caller found turning its
 * own form of the settings into values (the environment's booleans), reported in the same error.
 */
export function resolveConfig(settings: Settings, nameOf: SettingName = dottedName, earlier: string[] = []): Config {
  const name = (key: keyof Settings) => nameOf([key]);
  const result = SettingsSchema.safeParse(settings, { reportInput: true });
  // A set: one value can break two checks of one setting (an SMTP URL's scheme and its host) that say the same.
  const problems = [...new Set([...earlier, ...(result.success ? [] : result.error.issues.map((issue) => sentence(issue, nameOf))), ...crossSettingProblems(settings, name)])];
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  const s = result.data;
  const production = s.nodeEnv === 'production';
  const publicUrl = s.publicUrl ?? `http://localhost:${s.port}`;
  // The backend's own origin always calls its API (the link landing page, the demo) and is always
  // a place to land; with no public URL (development) its 127.0.0.1 twin as well.
  const ownOrigins = [publicUrl, ...(s.publicUrl ? [] : [`http://127.0.0.1:${s.port}`])];
  const allowedOrigins = [...new Set([...(s.allowedOrigins ?? []), ...ownOrigins])];
  const redirectUrls = [...new Set([...(s.redirectUrls ?? allowedOrigins.map((o) => `${o}/`)), ...ownOrigins.map((o) => `${o}/`)])];
  const allowHttpPublicUrl = production && clearOverNetwork(publicUrl);
  const siteName = s.siteName ?? new URL(publicUrl).host;
  const warnings = allowHttpPublicUrl ? [`${name('publicUrl')} is http (${publicUrl}) in production, allowed by ${name('allowHttpPublicUrl')}: links, codes and sessions cross the network in clear unless TLS ends in front`] : [];
  const rpId = s.passkeyRpId ?? new URL(publicUrl).hostname;
  // Browsers take only a domain as RP ID (WebAuthn §5.1.3), so on 127.0.0.1 the element offers
  // passkeys that every browser then refuses; `localhost` works.
  if (s.passkeys && isIP(rpId.replace(/^\[|\]$/g, ''))) {
    warnings.push(`${name('passkeys')} is on but the RP ID is the IP address ${rpId} (the host of ${name('publicUrl')}): browsers refuse passkeys for an IP address; use a host name (localhost in development) or set ${name('passkeys')}=off`);
  }
  return {
    production,
    port: s.port,
    allowHttpPublicUrl,
    smtpCheck: s.smtpCheck ?? (production ? 'required' : 'warn'),
    warnings,
    host: s.host,
    publicUrl,
    siteName,
    secret: s.secret ?? null,
    dataFile: resolve(s.dataFile),
    redisUrl: s.redisUrl ?? null,
    databaseUrl: s.databaseUrl ?? null,
    databaseSchema: s.databaseSchema,
    databasePoolSize: s.databasePoolSize,
    smtpUrl: s.smtpUrl ?? null,
    mailFrom: s.mailFrom ?? `Sign-in <no-reply@${new URL(publicUrl).hostname}>`,
    allowedOrigins,
    redirectUrls,
    rateLimits: s.rateLimits,
    codeLength: s.codeLength,
    codeTtlSeconds: s.codeTtlSeconds,
    resendSeconds: s.resendSeconds,
    maxAttempts: s.maxAttempts,
    sessionTtlSeconds: s.sessionTtlSeconds,
    userCreation: s.userCreation,
    codesPerHour: s.codesPerHour,
    // NIST 800-63B 5.2.2: at most 100 consecutive failures; the lock lasts a day.
    maxConsecutiveFailures: 100,
    lockoutSeconds: 86_400,
    ipLimits: { requests: s.requestsPerIp, verifies: s.verifiesPerIp, windowSeconds: IP_WINDOW_SECONDS },
    trustProxy: s.trustProxy,
    sessionCookie: s.sessionCookie,
    jsonCompactBytes: s.jsonCompactBytes,
    basePath: s.basePath,
    metricsToken: s.metricsToken ?? null,
    mailRetries: s.mailRetries,
    mailQueueSize: s.mailQueueSize,
    templatesDir: s.templatesDir ? resolve(s.templatesDir) : null,
    dkim: s.dkim ?? null,
    accessTokenTtlSeconds: s.accessTokenTtlSeconds,
    accessTokenAudience: s.accessTokenAudience ?? publicUrl,
    signingKeyRotationSeconds: s.signingKeyRotationSeconds,
    passkeys: s.passkeys ? { rpId, rpName: s.passkeyRpName ?? siteName, origins: allowedOrigins } : null,
    approvals: s.approvals,
    totp: s.totp,
    accountEmailChange: s.accountEmailChange,
    accountDeletion: s.accountDeletion,
    auditRetentionDays: s.auditRetentionDays,
    adminEmails: [...new Set(s.adminEmails ?? [])],
    ownOrigins,
  };
}
