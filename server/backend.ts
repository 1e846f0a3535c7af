/**
 * The composition root: from a Config to a running set of parts (store, mailer, service, router,
 * app). The command line and the tests both start the backend through here, so what is tested is
 * what runs.
 */
import type Koa from 'koa';
import type { Router } from '@koa/router';
import { AccessTokens } from './access/access-tokens.ts';
import { ApprovalWaits } from './approval/approval-waits.ts';
import { inProcessWakeUp, type WakeUp } from './approval/wake-up.ts';
import { createApp } from './app.ts';
import { createAdminConsole } from './admin/admin-console.ts';
import { adminRecords } from './admin/admin-records.ts';
import { readAdminFiles } from './assets/admin-files.ts';
import { readWidgetFiles } from './assets/widget-files.ts';
import { createAuditLog } from './observability/audit.ts';
import { createAuditTrail, type AuditTrail } from './observability/audit-trail.ts';
import { systemClock, type Clock } from './time/clock.ts';
import type { Config } from './config.ts';
import { memoryIpLimiters, postgresIpLimiters, redisIpLimiters, type IpLimiters } from './http/ip-limits.ts';
import { mailPreview } from './http/mail-preview.ts';
import { WIDGET_PATH } from './http/widget-assets.ts';
import { createPasswordlessRouter, wellKnownJwks } from './http/router.ts';
import { wellKnownWebauthn } from './http/passkey-routes.ts';
import { createChallenges } from './passkeys/challenge.ts';
import { PasskeyService } from './passkeys/passkey-service.ts';
import { AccountService } from './account/account-service.ts';
import { SecondFactorService } from './second-factor/second-factor-service.ts';
import { DocumentPath } from '../contract/index.ts';
import { createJsonLogger, type Logger } from './observability/logger.ts';
import type { LoginHooks } from './login/hooks.ts';
import { LoginService, type LoginServiceOptions } from './login/login-service.ts';
import { retentionFor } from './login/retention.ts';
import { expiresInMinutes } from './login/rules.ts';
import { createDevMailbox, type DevMailbox } from './mail/dev-mailbox.ts';
import { countingMailLogger } from './mail/mail-metrics.ts';
import { createMailer } from './mail/mailer.ts';
import type { Mailer, OutgoingMail } from './mail/types.ts';
import { createWorkerMailer } from './mail/worker/worker-mailer.ts';
import { createMetrics, type Metrics } from './observability/metrics.ts';
import { createHasher } from './secrets/hasher.ts';
import { loadOrCreateSecret } from './secrets/secret-file.ts';
import { openStore, type OpenedStore } from './store/open-store.ts';
import type { Retention, Store } from './store/types.ts';

/** Expired sessions and idle login states go every 10 minutes: the code lifetime, by default. */
const SWEEP_INTERVAL_MS = 10 * 60_000;
const DAY_MS = 86_400_000;

export interface BackendOptions {
  clock?: Clock;
  logger?: Logger;
  /** Where the built widget is read from; default `dist/passwordless-login.js`. */
  widgetFile?: string;
  /** The host's hooks into the login flow (login/hooks.ts). */
  hooks?: LoginHooks;
  /**
   * Replaces the transport (SMTP or the dev mailbox): gets each rendered mail, off the request
   * path, on this thread. A throw is logged like an SMTP failure.
   */
  sendMail?: (message: OutgoingMail) => void | Promise<void>;
}

export interface Backend {
  app: Koa;
  service: LoginService;
  /** A signed-in person's change of address and deletion (served when ACCOUNT_EMAIL_CHANGE / ACCOUNT_DELETION are on). */
  account: AccountService;
  /** The API routes under `basePath`; `app` mounts them with everything around. */
  router: Router;
  store: Store;
  mailer: Mailer;
  /** The dev mailbox when no SMTP server is configured (never in production), else null. */
  mailbox: DevMailbox | null;
  logger: Logger;
  /** The counters behind `GET /metrics` (served only with METRICS_TOKEN). */
  metrics: Metrics;
  /** Signs access tokens for sessions and publishes their keys. */
  accessTokens: AccessTokens;
  /** The passkey ceremonies and each user's passkeys; null when PASSKEYS is off. */
  passkeys: PasskeyService | null;
  /** Cross-device approval: the asking browsers' waits and the phone's approve, woken across instances. */
  approvals: ApprovalWaits;
  /** Authenticator-app codes (the routes, the library's enableTotp…); null when TOTP is off. */
  secondFactor: SecondFactorService | null;
  /** The batched writer of the audit trail kept in the store; null with AUDIT_RETENTION_DAYS=0. */
  auditTrail: AuditTrail | null;
  /** Ends every approval wait now (each answers `waiting`), so a shutdown is not held by long polls. */
  endWaits(): void;
  /** Ends the waits, waits for mail in flight, then closes the mailer and the store. */
  close(): Promise<void>;
}

export async function createBackend(config: Config, options: BackendOptions = {}): Promise<Backend> {
  const logger = options.logger ?? createJsonLogger();
  // What the operator allowed but should hear at every start (an http PUBLIC_URL in production).
  for (const warning of config.warnings) logger.warn({ msg: warning });
  const clock = options.clock ?? systemClock;
  const retention = retentionFor(config);
  const opened = await openStore({
    dataFile: config.dataFile,
    jsonCompactBytes: config.jsonCompactBytes,
    redisUrl: config.redisUrl,
    databaseUrl: config.databaseUrl,
    databaseSchema: config.databaseSchema,
    databasePoolSize: config.databasePoolSize,
    retention,
    clock,
    auditRetentionMs: config.auditRetentionDays * DAY_MS,
    onJsonWarning: (warning) => logger.warn({ msg: 'data file warning', file: config.dataFile, warning }),
    onRedisError: (error) => logger.error({ msg: 'redis connection error', err: error.message }),
    onDatabaseError: (error) => logger.error({ msg: 'postgresql connection error', err: error.message }),
  });
  const { store } = opened;
  try {
    return await assembleBackend(config, options, logger, clock, retention, opened);
  } catch (error) {
    // A start that fails after the store is open must close it: a JSON store left open keeps its
    // lock file, and the next start (or a retry in this process) would be refused.
    await store.close().catch(() => {});
    throw error;
  }
}

/** The per-IP counters live where the store does, so they hold across every instance sharing it. */
function ipLimitersFor(config: Config, redis: OpenedStore['redis'], postgres: OpenedStore['postgres']): IpLimiters {
  if (redis) return redisIpLimiters(redis.client, config.ipLimits, redis.keyPrefix);
  if (postgres) return postgresIpLimiters(postgres.pool, postgres.schema, config.ipLimits);
  return memoryIpLimiters(config.ipLimits);
}

/**
 * The approval wake-up channel of the store (approval/wake-up.ts): Redis pub/sub, PostgreSQL
 * LISTEN/NOTIFY, or in process for the JSON store (one instance). Loaded only when used, as the
 * stores are.
 */
async function wakeUpFor(config: Config, logger: Logger, redis: OpenedStore['redis'], postgres: OpenedStore['postgres']): Promise<WakeUp> {
  if (redis) return (await import('./approval/redis-wake-up.ts')).redisWakeUp(redis.client, redis.keyPrefix, logger);
  if (postgres && config.databaseUrl) return (await import('./approval/postgres-wake-up.ts')).postgresWakeUp(config.databaseUrl, postgres.pool, postgres.schema, logger);
  return inProcessWakeUp();
}

/** Everything that needs the open store: mail, service, router, app, sweeper. */
async function assembleBackend(config: Config, options: BackendOptions, logger: Logger, clock: Clock, retention: Retention, { store, redis, postgres }: OpenedStore): Promise<Backend> {
  const secret = config.secret ?? (await loadOrCreateSecret(config.dataFile));
  const metrics = createMetrics();
  // The trail kept in the store (AUDIT_RETENTION_DAYS, 0: the log only), written in batches off the request path.
  const trail: AuditTrail | undefined = config.auditRetentionDays > 0 ? createAuditTrail({ store, clock, logger }) : undefined;
  const audit = createAuditLog(logger, clock, trail);
  // The mailers log each outcome once; this logger counts those entries as they pass (and the trail the day's mail).
  const mailLogger = countingMailLogger(logger, metrics, trail);
  const { sendMail } = options;
  const mailbox = config.smtpUrl || sendMail ? null : createDevMailbox({ now: () => new Date(clock.now()) });
  // Every mailer retries alike and reads the operator's templates; DKIM is SMTP's (nodemailer signs).
  // The queue's bound and the drain rate behind Retry-After (mail/queue-room.ts) run on the real
  // clock: mails drain in real time even when a test moves the login rules' clock.
  const mailOptions = { from: config.mailFrom, logger: mailLogger, retries: config.mailRetries, templatesDir: config.templatesDir ?? undefined, maxQueued: config.mailQueueSize };
  // SMTP: rendering and nodemailer run on a worker thread, off the one answering HTTP. The dev
  // mailbox and a host's `sendMail` (a function cannot cross to a worker) stay on this thread.
  const mailer = sendMail
    ? createMailer({ ...mailOptions, transport: { send: async (message) => sendMail(message) } })
    : config.smtpUrl
      ? await createWorkerMailer({ ...mailOptions, smtpUrl: config.smtpUrl, dkim: config.dkim ?? undefined })
      : createMailer({ ...mailOptions, transport: mailbox! });
  const landingPage = `${config.publicUrl}${config.basePath}${DocumentPath.link}`;
  // The preview shows the mails this mailer would send; production does not serve it (404).
  const preview = config.production ? undefined : mailPreview({ templatesDir: mailOptions.templatesDir, landingPage, publicBase: `${config.publicUrl}${config.basePath}`, codeLength: config.codeLength, expiresInMinutes: expiresInMinutes(config), stylesheetUrl: `${config.basePath}${DocumentPath.pageStyles}` });
  const baseLoginOptions = { store, mailer, clock, hash: createHasher(secret), rules: config, retention, defaultLanding: landingPage, metrics, audit, hooks: options.hooks, logger };
  // TOTP=on: every first factor passes the second factor's gate (login/second-factor-gate.ts).
  const secondFactor = config.totp ? new SecondFactorService({ login: baseLoginOptions, secret, issuer: config.siteName, audit }) : null;
  const loginOptions: LoginServiceOptions = { ...baseLoginOptions, ...(secondFactor && { secondFactor: secondFactor.gate }) };
  const service = new LoginService(loginOptions);
  // Challenges live as long as a code: an answer to one is as fresh as a code typed in time.
  const account = new AccountService({ login: loginOptions, publicBase: `${config.publicUrl}${config.basePath}` });
  const passkeys = config.passkeys && new PasskeyService({ login: loginOptions, relyingParty: config.passkeys, challenges: createChallenges(secret, clock, config.codeTtlSeconds), metrics, audit });
  // What was started here must be stopped if the start fails after it (the caller closes the
  // store): the mail worker thread and the wake-up channel's connection would keep the process up.
  const wakeUp = await wakeUpFor(config, logger, redis, postgres).catch(async (error: unknown) => {
    await mailer.close().catch(() => {});
    await trail?.close().catch(() => {});
    throw error;
  });
  try {
    const approvals = new ApprovalWaits({ service, wakeUp, perIp: config.rateLimits ? undefined : null, onRateLimited: () => metrics.rateLimited.inc({ scope: 'ip' }) });
    const accessTokens = new AccessTokens({
      secret,
      clock,
      issuer: config.publicUrl,
      audience: config.accessTokenAudience,
      ttlSeconds: config.accessTokenTtlSeconds,
      rotationSeconds: config.signingKeyRotationSeconds,
    });
    const router = createPasswordlessRouter({
      service,
      // Both lists hold the backend's own origin (config.ts): its link landing page and demo call
      // the API from it and land on it, whatever ALLOWED_ORIGINS and REDIRECT_URLS say.
      allowedOrigins: config.allowedOrigins,
      redirectUrls: config.redirectUrls,
      basePath: config.basePath,
      widgetUrl: WIDGET_PATH,
      ipLimiters: config.rateLimits && ipLimitersFor(config, redis, postgres),
      sessionCookie: config.sessionCookie,
      metrics,
      audit,
      accessTokens,
      passkeys: passkeys || undefined,
      // The first origin the operator allowed (their site), else the backend's own: see config.ts.
      site: { name: config.siteName, url: `${config.allowedOrigins[0]}/` },
      logger, clock, production: config.production,
      approvals: config.approvals ? approvals : undefined,
      account: { service: account, features: { emailChange: config.accountEmailChange, deletion: config.accountDeletion } },
      secondFactor: secondFactor || undefined,
    });
    const widget = await readWidgetFiles(options.widgetFile);
    if (widget.script === null) logger.warn({ msg: 'widget bundle not found: run `npm run build` to serve /passwordless-login.js' });
    // The console only when ADMIN_EMAILS names someone: otherwise /admin is any unknown path's 404.
    const admin = config.adminEmails.length === 0 ? undefined : createAdminConsole({
      service,
      store,
      audit,
      records: adminRecords(store, clock, trail),
      adminEmails: config.adminEmails,
      ownOrigins: config.ownOrigins,
      cookieMode: config.sessionCookie,
      files: await readAdminFiles(),
      apiBase: config.basePath,
      widgetUrl: WIDGET_PATH,
      siteName: config.siteName,
      logger,
    });
    const app = createApp({ router, logger, widget, trustProxy: config.trustProxy, metrics, metricsToken: config.metricsToken, jwks: wellKnownJwks(accessTokens), webauthn: passkeys ? wellKnownWebauthn(passkeys.relyingParty.origins) : undefined, mailPreview: preview, admin });
    // The audit trail past its retention goes too (all of it with a retention of 0: the store keeps none).
    const sweepAudit = () => store.sweepAudit(clock.now() - config.auditRetentionDays * DAY_MS);
    const sweep = () =>
      Promise.all([service.sweep(), sweepAudit()]).then(
        ([removed, audit]) => logger.info({ msg: 'swept expired records', ...removed, audit }),
        (error: unknown) => logger.error({ msg: 'sweep failed', err: String(error) }),
      );
    const sweeper = setInterval(sweep, SWEEP_INTERVAL_MS).unref();
    await sweep();
    return {
      app,
      service,
      account,
      router,
      store,
      mailer,
      mailbox,
      logger,
      metrics,
      accessTokens,
      passkeys: passkeys || null,
      secondFactor,
      approvals,
      auditTrail: trail ?? null,
      endWaits: () => approvals.close(),
      async close() {
        approvals.close();
        await wakeUp.close();
        clearInterval(sweeper);
        await service.idle();
        await mailer.close();
        // After the mailer: its last outcomes are counted. Before the store: the last entries are written.
        await trail?.close();
        await store.close();
      },
    };
  } catch (error) {
    await wakeUp.close().catch(() => {});
    await mailer.close().catch(() => {});
    await trail?.close().catch(() => {});
    throw error;
  }
}

