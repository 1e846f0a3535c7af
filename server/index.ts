/**
 * The server library: `createPasswordless(options)` builds what `npm start` runs (store, mailer,
 * login service, router) through the same composition root (backend.ts), for a host application
 * to mount and to call.
 *
 * Options carry Meteor's names where they mean the same thing (`tokenSequenceLength`,
 * `loginTokenExpirationHours`, `userCreationDisabled`); everything else has the name of its
 * environment variable in camelCase and is checked by the same rules (config.ts), so a bad value
 * fails here exactly as it would fail `npm start`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Middleware } from 'koa';
import { createBackend, type Backend } from './backend.ts';
import type { Clock } from './time/clock.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { errorsMiddleware } from './http/errors-middleware.ts';
import { wellKnownJwks } from './http/router.ts';
import type { AccessTokenClaims } from './access/access-tokens.ts';
import type { Logger } from './observability/logger.ts';
import type { LoginHooks } from './login/hooks.ts';
import type { DkimConfig, OutgoingMail } from './mail/types.ts';

export type { LoginHooks } from './login/hooks.ts';
export type { LoginService, LoginTarget, LoginTokenOptions, SendLoginTokenEmailInput } from './login/login-service.ts';
export type { OutgoingMail } from './mail/types.ts';
export type { AccessTokenResponse, Locale, RequestResponse, SessionResponse, User, VerifyResponse } from '../contract/index.ts';
export type { AccessTokenClaims } from './access/access-tokens.ts';
export type { Logger } from './observability/logger.ts';
export { LoginError } from './login/login-error.ts';

export interface PasswordlessOptions extends LoginHooks {
  /** Public origin of the site serving the API; links in mails are built from it. Default `http://localhost:3000`. */
  publicUrl?: string;
  /** Where the router is mounted; default `/auth`. */
  basePath?: string;
  /** JSON data file (default `./data/passwordless.json`), or `redisUrl` to use Redis. */
  dataFile?: string;
  redisUrl?: string;
  /** HMAC key for what is stored, at least 32 characters; default: generated once beside the data file. */
  secret?: string;
  /** `smtp://…`; absent (and no `sendMail`): the in-memory dev mailbox. */
  smtpUrl?: string;
  mailFrom?: string;
  /** Browser origins allowed to call the API; default `publicUrl`. */
  allowedOrigins?: string[];
  /** Allowed `redirectTo` prefixes; default `publicUrl` + `/`. */
  redirectUrls?: string[];
  /** Digits in a code (Meteor: token sequence length): 6 to 10, default 6. */
  tokenSequenceLength?: number;
  /** Lifetime of a code and its link in hours (0.5 = 30 minutes); 1 minute to 24 hours, default 10 minutes. */
  loginTokenExpirationHours?: number;
  /** Only existing users may sign in; unknown addresses get the same answer and no mail. Default false. */
  userCreationDisabled?: boolean;
  /** Seconds before the same address may ask again: default 60. */
  resendSeconds?: number;
  /** Wrong codes per address before every live code is void: default 5. */
  maxAttempts?: number;
  /** Session lifetime in seconds: default 30 days. */
  sessionTtlSeconds?: number;
  /** Codes per address per hour: default 5. */
  codesPerHour?: number;
  /** Sessions in an HttpOnly cookie instead of the answer body (same-site APIs only). */
  sessionCookie?: boolean;
  /** Further tries of a refused or failed mail, with backoff: 0 to 10, default 3. */
  mailRetries?: number;
  /** A directory whose `<template>.<locale>.html|txt` files replace the built-in email templates. */
  templatesDir?: string;
  /** DKIM-sign outgoing SMTP mail (passed to nodemailer's `dkim`). */
  dkim?: DkimConfig;
  /** Lifetime of access tokens (JWT) exchanged for a session: 60 to 3600 seconds, default 300. */
  accessTokenTtlSeconds?: number;
  /** The access tokens' `aud` claim; default `publicUrl`. */
  accessTokenAudience?: string;
  /** Seconds each signing key signs before the next takes over: at least a day, default 7 days. */
  signingKeyRotationSeconds?: number;
  /** `production` applies the production checks (SECRET, SMTP_URL, PUBLIC_URL required). */
  nodeEnv?: string;
  /** Replaces the mail transport: gets each rendered mail, off the request path. */
  sendMail?: (message: OutgoingMail) => void | Promise<void>;
  logger?: Logger;
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
  /** Waits for mail in flight, stops the sweeper, closes the store. */
  close(): Promise<void>;
}

/** Each option and the environment variable whose rules it follows. */
const ENV_NAMES = {
  publicUrl: 'PUBLIC_URL',
  basePath: 'BASE_PATH',
  dataFile: 'DATA_FILE',
  redisUrl: 'REDIS_URL',
  secret: 'SECRET',
  smtpUrl: 'SMTP_URL',
  mailFrom: 'MAIL_FROM',
  allowedOrigins: 'ALLOWED_ORIGINS',
  redirectUrls: 'REDIRECT_URLS',
  tokenSequenceLength: 'CODE_LENGTH',
  loginTokenExpirationHours: 'CODE_TTL_SECONDS',
  userCreationDisabled: 'USER_CREATION',
  resendSeconds: 'RESEND_SECONDS',
  maxAttempts: 'MAX_ATTEMPTS',
  sessionTtlSeconds: 'SESSION_TTL_SECONDS',
  codesPerHour: 'CODES_PER_HOUR',
  sessionCookie: 'SESSION_COOKIE',
  nodeEnv: 'NODE_ENV',
  mailRetries: 'MAIL_RETRIES',
  templatesDir: 'TEMPLATES_DIR',
  accessTokenTtlSeconds: 'ACCESS_TOKEN_TTL_SECONDS',
  accessTokenAudience: 'ACCESS_TOKEN_AUDIENCE',
  signingKeyRotationSeconds: 'SIGNING_KEY_ROTATION_SECONDS',
} as const satisfies Partial<Record<keyof PasswordlessOptions, string>>;

export async function createPasswordless(options: PasswordlessOptions = {}): Promise<Passwordless> {
  const config = toConfig(options);
  const { logger, clock, sendMail, allowedEmailDomains, validateNewUser, onUserCreated, onLogin, onLogout } = options;
  const hooks: LoginHooks = { allowedEmailDomains, validateNewUser, onUserCreated, onLogin, onLogout };
  const backend = await createBackend(config, { logger, clock, sendMail, hooks });
  const { router, service } = backend;
  const errors = errorsMiddleware(backend.logger);
  const routes = router.routes() as Middleware;
  const methods = router.allowedMethods() as Middleware;
  const jwks = wellKnownJwks(backend.accessTokens);
  return {
    // Error answers wrap only the API's own paths: a host's other routes keep their own handling.
    middleware: (ctx, next) => {
      if (ctx.path.startsWith(`${config.basePath}/`)) return errors(ctx, () => routes(ctx, () => methods(ctx, next)));
      return jwks(ctx, next);
    },
    router,
    handler: backend.app.callback(),
    service,
    config,
    verifyAccessToken: (token) => backend.accessTokens.verify(token),
    close: () => backend.close(),
  };
}

/** The options as environment variables, through `loadConfig`; a ConfigError names the option. */
function toConfig(options: PasswordlessOptions): Config {
  const env: Record<string, string> = {};
  for (const [option, name] of Object.entries(ENV_NAMES)) {
    const value = options[option as keyof typeof ENV_NAMES];
    if (value === undefined) continue;
    if (option === 'loginTokenExpirationHours') env[name] = String(Math.round((value as number) * 3600));
    else if (option === 'userCreationDisabled') env[name] = String(!value);
    else env[name] = Array.isArray(value) ? value.join(',') : String(value);
  }
  try {
    const config = loadConfig(env);
    return options.dkim ? { ...config, dkim: options.dkim } : config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const option = Object.entries(ENV_NAMES).find(([, name]) => error.message.startsWith(`${name}:`))?.[0];
    throw option ? new ConfigError(error.message.replace(/^[A-Z_]+:/, `${option}:`)) : error;
  }
}
