/**
 * Configuration from environment variables, validated once at start. A bad value stops the
 * start with one line naming the variable (DESIGN.md "Configuration"). Names are the operators'
 * contract; defaults are the development ones, and production refuses to guess the security ones.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { LoginRules } from './login/rules.ts';
import type { DkimConfig } from './mail/types.ts';

/** Everything `npm start` needs; the login rules (CODE_LENGTH … USER_CREATION, RATE_LIMITS) as `LoginRules`. */
export interface Config extends LoginRules {
  production: boolean;
  port: number;
  host: string;
  /** The backend's public origin; every link is built from it, never from request headers. */
  publicUrl: string;
  /** Key for the hashes at rest; `null` means "generate once and keep beside the data file". */
  secret: string | null;
  dataFile: string;
  redisUrl: string | null;
  smtpUrl: string | null;
  mailFrom: string;
  /** Exact origins allowed to call the API from a browser (CORS). */
  allowedOrigins: string[];
  /** Allowed landing-page URL prefixes for `redirectTo`. */
  redirectUrls: string[];
  basePath: string;
  /** Per client IP (IPv6 by /64), per 15-minute window: code requests and verifies. */
  ipLimits: IpLimits;
  /** Proxies in front whose X-Forwarded-For is trusted for the client IP; 0 = use the socket. */
  trustProxy: number;
  /** Sessions in an HttpOnly `__Host-` cookie instead of a bearer token (same-site APIs). */
  sessionCookie: boolean;
  /** The JSON store writes a new snapshot once its journal exceeds this and the snapshot's size. */
  jsonCompactBytes: number;
  /** Bearer token for `GET /metrics`; null: no /metrics endpoint (404). */
  metricsToken: string | null;
  /** Further tries of a mail the SMTP server refused or could not take (with backoff); 0 = one try. */
  mailRetries: number;
  /** A directory whose `<template>.<locale>.html|txt` files replace the built-in templates. */
  templatesDir: string | null;
  /** DKIM signing of outgoing mail (nodemailer's `dkim` option); null = unsigned. */
  dkim: DkimConfig | null;
  /** Lifetime of the signed access tokens a session is exchanged for. */
  accessTokenTtlSeconds: number;
  /** The `aud` claim of access tokens: the host API they are meant for. */
  accessTokenAudience: string;
  /** How long each signing key signs before the next takes over (JWKS rotation). */
  signingKeyRotationSeconds: number;
}

export interface IpLimits {
  requests: number;
  verifies: number;
  windowSeconds: number;
}

/** 15 minutes: long enough to slow a scan, short enough that an office behind one NAT recovers. */
const IP_WINDOW_SECONDS = 900;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const bool = z.enum(['true', 'false', '1', '0', 'on', 'off', 'yes', 'no']).transform((v) => ['true', '1', 'on', 'yes'].includes(v));
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const origin = z.url({ protocol: /^https?$/ }).transform((value, ctx) => {
  const url = new URL(value);
  if (url.pathname !== '/' || url.search || url.hash || url.username) {
    ctx.addIssue({ code: 'custom', message: `"${value}" must be a bare origin like https://example.com` });
    return z.NEVER;
  }
  return url.origin;
});
const list = <T extends z.ZodType<string>>(item: T) =>
  z.string().transform((value, ctx) => {
    const parsed: string[] = [];
    for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
      const result = item.safeParse(part);
      if (!result.success) {
        ctx.addIssue({ code: 'custom', message: `"${part}": ${result.error.issues[0]?.message ?? 'invalid'}` });
        return z.NEVER;
      }
      parsed.push(result.data);
    }
    return parsed;
  });
const urlPrefix = z.url({ protocol: /^https?$/ }).transform((value) => new URL(value).href);

const EnvSchema = z.object({
  NODE_ENV: z.string().optional(),
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: origin.optional(),
  SECRET: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 32`)').optional(),
  DATA_FILE: z.string().min(1).default('./data/passwordless.json'),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_FROM: z.string().min(3).optional(),
  ALLOWED_ORIGINS: list(origin).optional(),
  REDIRECT_URLS: list(urlPrefix).optional(),
  RATE_LIMITS: z.enum(['on', 'off']).default('on'),
  CODE_LENGTH: int(6, 10).default(6),
  CODE_TTL_SECONDS: int(60, 86_400).default(600),
  RESEND_SECONDS: int(0, 3600).default(60),
  MAX_ATTEMPTS: int(1, 100).default(5),
  SESSION_TTL_SECONDS: int(60, 31_536_000).default(2_592_000),
  USER_CREATION: bool.default(true),
  CODES_PER_HOUR: int(1, 1000).default(5),
  REQUESTS_PER_IP: int(1, 1_000_000).default(30),
  VERIFIES_PER_IP: int(1, 1_000_000).default(60),
  TRUST_PROXY: int(0, 10).default(0),
  SESSION_COOKIE: bool.default(false),
  JSON_COMPACT_BYTES: int(1024, 1_000_000_000).default(8 * 1024 * 1024),
  // 16 characters at least: the token is the only thing between the internet and the counters.
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters (e.g. `openssl rand -hex 16`)').optional(),
  MAIL_RETRIES: int(0, 10).default(3),
  TEMPLATES_DIR: z.string().min(1).optional(),
  DKIM_DOMAIN: z.string().regex(/^[A-Za-z0-9.-]+$/, 'must be a domain name like example.com').optional(),
  DKIM_SELECTOR: z.string().regex(/^[A-Za-z0-9._-]+$/, 'must be a DNS label like mail2026').optional(),
  DKIM_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  // 1 to 60 minutes: short enough that a revoked session stops working soon, long enough to cache.
  ACCESS_TOKEN_TTL_SECONDS: int(60, 3600).default(300),
  ACCESS_TOKEN_AUDIENCE: z.string().min(1).max(200).optional(),
  // A day at least: verifiers cache the key set, and each key is published a period ahead.
  SIGNING_KEY_ROTATION_SECONDS: int(86_400, 31_536_000).default(7 * 86_400),
  BASE_PATH: z.string().regex(/^\/[A-Za-z0-9/_-]*[A-Za-z0-9_-]$/, 'must look like /auth').default('/auth'),
});

/** Reads the configuration from `env`; throws a ConfigError whose message names the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset", as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(`${String(issue.path[0])}: ${issue.message}`);
  }
  const e = result.data;
  const production = e.NODE_ENV === 'production';
  if (production) {
    const missing = (['PUBLIC_URL', 'SECRET', 'SMTP_URL'] as const).find((name) => e[name] === undefined);
    if (missing) throw new ConfigError(`${missing}: required when NODE_ENV=production`);
    if (e.RATE_LIMITS === 'off') throw new ConfigError('RATE_LIMITS: "off" is refused when NODE_ENV=production');
  }
  // A key generated beside one instance's data file would differ on the next instance, and a
  // code mailed by one could never be verified by another.
  if (e.REDIS_URL && e.SECRET === undefined) throw new ConfigError('SECRET: required with REDIS_URL (every instance must hash codes, links and sessions with the same key)');
  const publicUrl = e.PUBLIC_URL ?? `http://localhost:${e.PORT}`;
  // `__Host-` cookies must be Secure; browsers accept that over http only on loopback.
  if (e.SESSION_COOKIE && !/^https:|^http:\/\/(localhost|127\.0\.0\.1)(:|$)/.test(publicUrl)) {
    throw new ConfigError('SESSION_COOKIE: needs an https PUBLIC_URL (the cookie is Secure)');
  }
  // With no PUBLIC_URL (development), the demo opened as 127.0.0.1 works as well as localhost.
  const loopbackAliases = e.PUBLIC_URL ? [] : [`http://127.0.0.1:${e.PORT}`];
  const allowedOrigins = e.ALLOWED_ORIGINS ?? [publicUrl, ...loopbackAliases];
  return {
    production,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    secret: e.SECRET ?? null,
    dataFile: resolve(e.DATA_FILE),
    redisUrl: e.REDIS_URL ?? null,
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM ?? `Sign-in <no-reply@${new URL(publicUrl).hostname}>`,
    allowedOrigins,
    redirectUrls: e.REDIRECT_URLS ?? allowedOrigins.map((o) => `${o}/`),
    rateLimits: e.RATE_LIMITS === 'on',
    codeLength: e.CODE_LENGTH,
    codeTtlSeconds: e.CODE_TTL_SECONDS,
    resendSeconds: e.RESEND_SECONDS,
    maxAttempts: e.MAX_ATTEMPTS,
    sessionTtlSeconds: e.SESSION_TTL_SECONDS,
    userCreation: e.USER_CREATION,
    codesPerHour: e.CODES_PER_HOUR,
    maxConsecutiveFailures: 100,
    lockoutSeconds: 86_400,
    ipLimits: { requests: e.REQUESTS_PER_IP, verifies: e.VERIFIES_PER_IP, windowSeconds: IP_WINDOW_SECONDS },
    trustProxy: e.TRUST_PROXY,
    sessionCookie: e.SESSION_COOKIE,
    jsonCompactBytes: e.JSON_COMPACT_BYTES,
    basePath: e.BASE_PATH,
    metricsToken: e.METRICS_TOKEN ?? null,
    mailRetries: e.MAIL_RETRIES,
    templatesDir: e.TEMPLATES_DIR ? resolve(e.TEMPLATES_DIR) : null,
    dkim: readDkim(e),
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    accessTokenAudience: e.ACCESS_TOKEN_AUDIENCE ?? publicUrl,
    signingKeyRotationSeconds: e.SIGNING_KEY_ROTATION_SECONDS,
  };
}

/** DKIM needs all three variables or none; the key file is read now, so a bad path stops the start. */
function readDkim(e: z.infer<typeof EnvSchema>): DkimConfig | null {
  const given = [e.DKIM_DOMAIN, e.DKIM_SELECTOR, e.DKIM_PRIVATE_KEY_FILE].filter((v) => v !== undefined).length;
  if (given === 0) return null;
  if (given < 3) throw new ConfigError('DKIM_DOMAIN: DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY_FILE go together');
  let privateKey: string;
  try {
    privateKey = readFileSync(resolve(e.DKIM_PRIVATE_KEY_FILE!), 'utf8');
  } catch (error) {
    throw new ConfigError(`DKIM_PRIVATE_KEY_FILE: cannot read ${e.DKIM_PRIVATE_KEY_FILE} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(privateKey)) throw new ConfigError('DKIM_PRIVATE_KEY_FILE: not a PEM private key');
  return { domainName: e.DKIM_DOMAIN!, keySelector: e.DKIM_SELECTOR!, privateKey };
}
