/**
 * The configuration: every setting, its default and its bounds, in one zod schema over typed
 * settings. `createPasswordless(options)` passes its settings as they are (library/); the command
 * line builds them from environment variables (bin/environment.ts), an adapter that only turns
 * strings into values. A bad value stops the start with one line that names the setting as its
 * caller wrote it: `codeLength: …` for the library, `CODE_LENGTH: …` for the environment.
 * Defaults are the development ones; production refuses to guess the security ones. Each
 * setting with its variable and reasons: docs/configuration.md.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import type { LoginRules } from './login/rules.ts';
import type { DkimConfig } from './mail/types.ts';

/** What an operator sets. All optional; each has an environment variable (bin/environment.ts). */
export interface Settings {
  /** `production` applies the production checks: `publicUrl`, `secret` and `smtpUrl` required, rate limits on, no demo or dev mailbox. */
  nodeEnv?: string;
  /** Where `passwordless-login serve` listens: default 3000 (a host app that mounts the library listens itself). */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** The backend's public origin; every link is built from it, never from request headers. Default `http://localhost:<port>`. */
  publicUrl?: string;
  /** Where the API is mounted: default `/auth`. */
  basePath?: string;
  /** The site's name, the heading of the magic link's landing page: default the host of `publicUrl`. */
  siteName?: string;
  /** The JSON store: default `./data/passwordless.json`. */
  dataFile?: string;
  /** Redis instead of the JSON file, for several instances (then `secret` is required). */
  redisUrl?: string;
  /** Key for the hashes at rest, at least 32 characters; default: generated once beside `dataFile` (not in production). */
  secret?: string;
  /** The JSON store writes a new snapshot once its journal outgrows this and twice the snapshot: default 8 MiB. */
  jsonCompactBytes?: number;
  /** `smtp://user:pass@host:port` or `smtps://…`; absent: the in-memory dev mailbox. */
  smtpUrl?: string;
  /** The `From` header: default `Sign-in <no-reply@<publicUrl's host>>`. */
  mailFrom?: string;
  /** Further tries of a refused or failed mail, with backoff: 0 to 10, default 3. */
  mailRetries?: number;
  /** A directory whose `<template>.<locale>.html|txt` files replace the built-in email templates. */
  templatesDir?: string;
  /** DKIM-sign outgoing SMTP mail (nodemailer's `dkim`). */
  dkim?: DkimConfig & Record<string, unknown>;
  /** Browser origins allowed to call the API (CORS): default `publicUrl` (and its 127.0.0.1 twin in development). */
  allowedOrigins?: string[];
  /** Allowed `redirectTo` prefixes: default each allowed origin + `/`. */
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
}

/** The settings resolved: every default filled in, every rule checked. What the backend is built from. */
export interface Config extends LoginRules {
  production: boolean;
  port: number;
  host: string;
  publicUrl: string;
  siteName: string;
  /** `null` means "generate once and keep beside the data file". */
  secret: string | null;
  /** Absolute. */
  dataFile: string;
  redisUrl: string | null;
  smtpUrl: string | null;
  mailFrom: string;
  allowedOrigins: string[];
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
  /** Absolute, or null for the built-in templates. */
  templatesDir: string | null;
  dkim: DkimConfig | null;
  accessTokenTtlSeconds: number;
  accessTokenAudience: string;
  signingKeyRotationSeconds: number;
}

export interface IpLimits {
  requests: number;
  verifies: number;
  windowSeconds: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** How the caller names a setting in messages: `['codeLength']` → `codeLength` (library) or `CODE_LENGTH` (environment). */
export type SettingName = (path: readonly PropertyKey[]) => string;

/** The library's spelling: `codeLength`, `dkim.privateKey`. */
export const dottedName: SettingName = (path) => path.map(String).join('.');

/** 15 minutes: long enough to slow a scan, short enough that an office behind one NAT recovers. */
const IP_WINDOW_SECONDS = 900;

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const origin = z.url({ protocol: /^https?$/ }).transform((value, ctx) => {
  const url = new URL(value);
  if (url.pathname !== '/' || url.search || url.hash || url.username) {
    ctx.addIssue({ code: 'custom', message: `"${value}" must be a bare origin like https://example.com` });
    return z.NEVER;
  }
  return url.origin;
});
const urlPrefix = z.url({ protocol: /^https?$/ }).transform((value) => new URL(value).href);

const SettingsSchema = z.object({
  nodeEnv: z.string().optional(),
  port: int(0, 65535).default(3000),
  host: z.string().min(1).default('127.0.0.1'),
  publicUrl: origin.optional(),
  basePath: z.string().regex(/^\/[A-Za-z0-9/_-]*[A-Za-z0-9_-]$/, 'must look like /auth').default('/auth'),
  // 80 characters: a name, not a sentence; it is a heading on a 375 px screen.
  siteName: z.string().trim().min(1).max(80).optional(),
  dataFile: z.string().min(1).default('./data/passwordless.json'),
  redisUrl: z.url({ protocol: /^rediss?$/ }).optional(),
  secret: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 32`)').optional(),
  jsonCompactBytes: int(1024, 1_000_000_000).default(8 * 1024 * 1024),
  smtpUrl: z.url({ protocol: /^smtps?$/ }).optional(),
  mailFrom: z.string().min(3).optional(),
  mailRetries: int(0, 10).default(3),
  templatesDir: z.string().min(1).optional(),
  // Loose: nodemailer's other DKIM options (cacheDir, skipFields…) pass through to it.
  dkim: z
    .looseObject({
      domainName: z.string().regex(/^[A-Za-z0-9.-]+$/, 'must be a domain name like example.com'),
      keySelector: z.string().regex(/^[A-Za-z0-9._-]+$/, 'must be a DNS label like mail2026'),
      privateKey: z.string().regex(/-----BEGIN (RSA |EC )?PRIVATE KEY-----/, 'not a PEM private key'),
    })
    .optional(),
  allowedOrigins: z.array(origin).optional(),
  redirectUrls: z.array(urlPrefix).optional(),
  trustProxy: int(0, 10).default(0),
  sessionCookie: z.boolean().default(false),
  rateLimits: z.boolean().default(true),
  requestsPerIp: int(1, 1_000_000).default(30),
  verifiesPerIp: int(1, 1_000_000).default(60),
  codeLength: int(6, 10).default(6),
  codeTtlSeconds: int(60, 86_400).default(600),
  resendSeconds: int(0, 3600).default(60),
  maxAttempts: int(1, 100).default(5),
  sessionTtlSeconds: int(60, 31_536_000).default(2_592_000),
  userCreation: z.boolean().default(true),
  codesPerHour: int(1, 1000).default(5),
  // 16 characters at least: the token is the only thing between the internet and the counters.
  metricsToken: z.string().min(16, 'must be at least 16 characters (e.g. `openssl rand -hex 16`)').optional(),
  // 1 to 60 minutes: short enough that a revoked session stops working soon, long enough to cache.
  accessTokenTtlSeconds: int(60, 3600).default(300),
  accessTokenAudience: z.string().min(1).max(200).optional(),
  // A day at least: verifiers cache the key set, and each key is published a period ahead.
  signingKeyRotationSeconds: int(86_400, 31_536_000).default(7 * 86_400),
});

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// A setting documented in `Settings` but missing from the schema, or typed otherwise, fails the type check.
true satisfies Same<keyof Settings, keyof z.input<typeof SettingsSchema>> & Same<Settings, z.input<typeof SettingsSchema>>;

/**
 * Checks `settings` and fills in the defaults; throws a ConfigError whose one-line message starts
 * with the setting's name as `nameOf` gives it.
 */
export function resolveConfig(settings: Settings, nameOf: SettingName = dottedName): Config {
  const result = SettingsSchema.safeParse(settings);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const [key, index] = issue.path;
    // A bad item of a list is named with its value: `ALLOWED_ORIGINS: "ftp://b.example": …`.
    const item = typeof index === 'number' ? `"${String((settings[key as keyof Settings] as unknown[])[index])}": ` : '';
    throw new ConfigError(`${nameOf(typeof index === 'number' ? [key!] : issue.path)}: ${item}${issue.message}`);
  }
  const s = result.data;
  const name = (key: keyof Settings) => nameOf([key]);
  const production = s.nodeEnv === 'production';
  if (production) {
    const missing = (['publicUrl', 'secret', 'smtpUrl'] as const).find((key) => s[key] === undefined);
    if (missing) throw new ConfigError(`${name(missing)}: required when ${name('nodeEnv')}=production`);
    if (!s.rateLimits) throw new ConfigError(`${name('rateLimits')}: "off" is refused when ${name('nodeEnv')}=production`);
  }
  // A key generated beside one instance's data file would differ on the next instance, and a
  // code mailed by one could never be verified by another.
  if (s.redisUrl && s.secret === undefined) {
    throw new ConfigError(`${name('secret')}: required with ${name('redisUrl')} (every instance must hash codes, links and sessions with the same key)`);
  }
  const publicUrl = s.publicUrl ?? `http://localhost:${s.port}`;
  // `__Host-` cookies must be Secure; browsers accept that over http only on loopback.
  if (s.sessionCookie && !/^https:|^http:\/\/(localhost|127\.0\.0\.1)(:|$)/.test(publicUrl)) {
    throw new ConfigError(`${name('sessionCookie')}: needs an https ${name('publicUrl')} (the cookie is Secure)`);
  }
  // With no public URL (development), the demo opened as 127.0.0.1 works as well as localhost.
  const loopbackAliases = s.publicUrl ? [] : [`http://127.0.0.1:${s.port}`];
  const allowedOrigins = s.allowedOrigins ?? [publicUrl, ...loopbackAliases];
  return {
    production,
    port: s.port,
    host: s.host,
    publicUrl,
    siteName: s.siteName ?? new URL(publicUrl).host,
    secret: s.secret ?? null,
    dataFile: resolve(s.dataFile),
    redisUrl: s.redisUrl ?? null,
    smtpUrl: s.smtpUrl ?? null,
    mailFrom: s.mailFrom ?? `Sign-in <no-reply@${new URL(publicUrl).hostname}>`,
    allowedOrigins,
    redirectUrls: s.redirectUrls ?? allowedOrigins.map((o) => `${o}/`),
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
    templatesDir: s.templatesDir ? resolve(s.templatesDir) : null,
    dkim: s.dkim ?? null,
    accessTokenTtlSeconds: s.accessTokenTtlSeconds,
    accessTokenAudience: s.accessTokenAudience ?? publicUrl,
    signingKeyRotationSeconds: s.signingKeyRotationSeconds,
  };
}
