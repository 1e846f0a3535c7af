import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, settingsFromEnvironment, variableName } from './bin/environment.ts';
import { ConfigError, resolveConfig } from './config.ts';

const PROD = { NODE_ENV: 'production', PUBLIC_URL: 'https://auth.example.com', SECRET: 's'.repeat(32), SMTP_URL: 'smtp://mail.example.com:587' };

describe('configuration', () => {
  it('has the documented defaults outside production', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.publicUrl, 'http://localhost:3000');
    assert.deepEqual(config.allowedOrigins, ['http://localhost:3000', 'http://127.0.0.1:3000']);
    assert.deepEqual(config.redirectUrls, ['http://localhost:3000/', 'http://127.0.0.1:3000/']);
    assert.deepEqual(
      [config.codeLength, config.codeTtlSeconds, config.resendSeconds, config.maxAttempts, config.sessionTtlSeconds, config.userCreation, config.rateLimits],
      [6, 600, 60, 5, 2_592_000, true, true],
    );
    assert.match(config.dataFile, /data\/passwordless\.json$/);
  });

  it('turns passkeys on by default, for the host of PUBLIC_URL, named after SITE_NAME, on every allowed origin', () => {
    const config = loadConfig({ PUBLIC_URL: 'https://auth.example.com', SITE_NAME: 'Example', ALLOWED_ORIGINS: 'https://shop.example' });
    assert.deepEqual(config.passkeys, { rpId: 'auth.example.com', rpName: 'Example', origins: ['https://shop.example', 'https://auth.example.com'] });
    assert.equal(loadConfig({ PASSKEYS: 'off' }).passkeys, null);
    assert.deepEqual(loadConfig({ PUBLIC_URL: 'https://auth.example.com', PASSKEY_RP_ID: 'example.com', PASSKEY_RP_NAME: 'Example Inc.' }).passkeys?.rpId, 'example.com');
  });

  it('refuses a PASSKEY_RP_ID that is not the host of PUBLIC_URL or a domain it ends with, in one sentence', () => {
    for (const rpId of ['other.example', 'com', 'xample.com', 'auth.example.com.evil']) {
      assert.throws(() => loadConfig({ PUBLIC_URL: 'https://auth.example.com', PASSKEY_RP_ID: rpId }), (error: ConfigError) => {
        assert.deepEqual(error.problems, [`PASSKEY_RP_ID must be the host of the public URL (auth.example.com) or a domain it ends with, like example.com: browsers refuse passkeys for any other, got "${rpId}"`]);
        return true;
      });
    }
    assert.throws(() => loadConfig({ PASSKEY_RP_ID: 'https://example.com' }), (error: ConfigError) => {
      assert.deepEqual(error.problems, ['PASSKEY_RP_ID must be a lower-case domain name like example.com (no scheme, no port), got "https://example.com"']);
      return true;
    });
    assert.throws(() => loadConfig({ PASSKEYS: 'yes' }), /PASSKEYS must be on or off/);
  });

  it('issues 5-minute access tokens for PUBLIC_URL, rotates keys weekly, and reads a DKIM key file', () => {
    const config = loadConfig({ PUBLIC_URL: 'https://auth.example.com' });
    assert.deepEqual([config.accessTokenTtlSeconds, config.accessTokenAudience, config.signingKeyRotationSeconds], [300, 'https://auth.example.com', 604_800]);
    assert.deepEqual([config.mailRetries, config.templatesDir, config.dkim], [3, null, null]);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const dir = mkdtempSync(join(tmpdir(), 'passwordless-dkim-'));
    try {
      writeFileSync(join(dir, 'dkim.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
      const dkim = loadConfig({ DKIM_DOMAIN: 'example.com', DKIM_SELECTOR: 'mail2026', DKIM_PRIVATE_KEY_FILE: join(dir, 'dkim.pem') }).dkim;
      assert.equal(dkim?.domainName, 'example.com');
      assert.equal(dkim?.keySelector, 'mail2026');
      assert.match(dkim!.privateKey, /^-----BEGIN PRIVATE KEY-----/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('allows only PUBLIC_URL by default once it is set', () => {
    assert.deepEqual(loadConfig({ PUBLIC_URL: 'https://auth.example.com' }).allowedOrigins, ['https://auth.example.com']);
  });

  it('derives PUBLIC_URL from PORT', () => {
    assert.equal(loadConfig({ PORT: '8080' }).publicUrl, 'http://localhost:8080');
  });

  it('names the site after the host of PUBLIC_URL unless SITE_NAME says otherwise', () => {
    assert.equal(loadConfig({}).siteName, 'localhost:3000');
    assert.equal(loadConfig({ PUBLIC_URL: 'https://auth.example.com' }).siteName, 'auth.example.com');
    assert.equal(loadConfig({ SITE_NAME: '  Example Shop ' }).siteName, 'Example Shop');
    assert.throws(() => loadConfig({ SITE_NAME: 'x'.repeat(81) }), /^ConfigError: SITE_NAME must be at most 80 characters, got "x{81}"$/);
  });

  for (const [env, variable] of [
    [{ PORT: 'eighty' }, 'PORT'],
    [{ CODE_LENGTH: '4' }, 'CODE_LENGTH'],
    [{ PUBLIC_URL: 'https://auth.example.com/path' }, 'PUBLIC_URL'],
    [{ ALLOWED_ORIGINS: 'https://a.example, ftp://b.example' }, 'ALLOWED_ORIGINS'],
    [{ USER_CREATION: 'maybe' }, 'USER_CREATION'],
    [{ SMTP_URL: 'http://mail' }, 'SMTP_URL'],
    [{ SECRET: 'short' }, 'SECRET'],
    [{ METRICS_TOKEN: 'fifteen-chars!!' }, 'METRICS_TOKEN'],
    [{ ACCESS_TOKEN_TTL_SECONDS: '30' }, 'ACCESS_TOKEN_TTL_SECONDS'],
    [{ ACCESS_TOKEN_TTL_SECONDS: '7200' }, 'ACCESS_TOKEN_TTL_SECONDS'],
    [{ SIGNING_KEY_ROTATION_SECONDS: '3600' }, 'SIGNING_KEY_ROTATION_SECONDS'],
    [{ MAIL_RETRIES: '11' }, 'MAIL_RETRIES'],
    [{ DKIM_DOMAIN: 'example.com' }, 'DKIM_DOMAIN'],
    [{ DKIM_DOMAIN: 'example.com', DKIM_SELECTOR: 's1', DKIM_PRIVATE_KEY_FILE: '/no/such/key.pem' }, 'DKIM_PRIVATE_KEY_FILE'],
    [{ DKIM_DOMAIN: 'example.com', DKIM_SELECTOR: 's1', DKIM_PRIVATE_KEY_FILE: '/etc/hostname' }, 'DKIM_PRIVATE_KEY_FILE'],
  ] as const) {
    it(`stops on a bad ${variable} with a line naming it`, () => {
      assert.throws(() => loadConfig(env), (error: Error) => error instanceof ConfigError && error.message.startsWith(`${variable} `) && !error.message.includes('\n'));
    });
  }

  for (const missing of ['PUBLIC_URL', 'SECRET', 'SMTP_URL'] as const) {
    it(`requires ${missing} in production`, () => {
      const env: Record<string, string> = { ...PROD };
      delete env[missing];
      assert.throws(() => loadConfig(env), new RegExp(`^ConfigError: ${missing} is required when NODE_ENV=production: set it to \\S`));
    });
  }

  it('refuses SESSION_COOKIE=on without https, except on loopback', () => {
    assert.throws(() => loadConfig({ SESSION_COOKIE: 'on', PUBLIC_URL: 'http://auth.example.com' }), /^ConfigError: SESSION_COOKIE/);
    assert.equal(loadConfig({ SESSION_COOKIE: 'on' }).sessionCookie, true);
    assert.equal(loadConfig({ SESSION_COOKIE: 'on', PUBLIC_URL: 'https://auth.example.com' }).sessionCookie, true);
  });

  it('serves no /metrics unless METRICS_TOKEN is set', () => {
    assert.equal(loadConfig({}).metricsToken, null);
    assert.equal(loadConfig({ METRICS_TOKEN: 'sixteen-chars!!!' }).metricsToken, 'sixteen-chars!!!');
  });

  it('reads the limits and TRUST_PROXY', () => {
    const config = loadConfig({ REQUESTS_PER_IP: '10', VERIFIES_PER_IP: '20', CODES_PER_HOUR: '3', TRUST_PROXY: '2' });
    assert.deepEqual(config.ipLimits, { requests: 10, verifies: 20, windowSeconds: 900 });
    assert.deepEqual([config.codesPerHour, config.trustProxy, config.maxConsecutiveFailures], [3, 2, 100]);
  });

  it('refuses RATE_LIMITS=off in production', () => {
    assert.throws(() => loadConfig({ ...PROD, RATE_LIMITS: 'off' }), /RATE_LIMITS/);
    assert.throws(() => loadConfig({ ...PROD, RATE_LIMITS: 'off' }), /^ConfigError: RATE_LIMITS cannot be off when NODE_ENV=production: /);
  });

  it('takes only on or off for RATE_LIMITS: a typo must not lift the limits', () => {
    for (const typo of ['false', 'no', '0', 'of']) assert.throws(() => loadConfig({ RATE_LIMITS: typo }), new RegExp(`^ConfigError: RATE_LIMITS must be on or off, got "${typo}"$`));
    assert.equal(loadConfig({ RATE_LIMITS: 'off' }).rateLimits, false);
  });

  it('reads each variable into the setting of the same name, as the library takes it', () => {
    const env = { PORT: '8080', CODE_LENGTH: '8', USER_CREATION: 'no', ALLOWED_ORIGINS: 'https://a.example, https://b.example', RATE_LIMITS: 'off', SESSION_TTL_SECONDS: '3600' };
    const settings = { port: 8080, codeLength: 8, userCreation: false, allowedOrigins: ['https://a.example', 'https://b.example'], rateLimits: false, sessionTtlSeconds: 3600 };
    assert.deepEqual(settingsFromEnvironment(env), settings);
    assert.deepEqual(loadConfig(env), resolveConfig(settings));
    assert.equal(variableName(['signingKeyRotationSeconds']), 'SIGNING_KEY_ROTATION_SECONDS');
    assert.equal(variableName(['dkim', 'privateKey']), 'DKIM_PRIVATE_KEY_FILE');
  });

  it('says what a variable must look like when it is not a value of its kind', () => {
    assert.throws(() => loadConfig({ PORT: 'eighty' }), /^ConfigError: PORT must be a whole number from 0 to 65,535, got "eighty"$/);
    assert.throws(() => loadConfig({ PORT: '80.5' }), /^ConfigError: PORT must be a whole number from 0 to 65,535, got 80.5$/);
    assert.equal(loadConfig({ JSON_COMPACT_BYTES: '1e6' }).jsonCompactBytes, 1_000_000);
    assert.throws(() => loadConfig({ SESSION_COOKIE: 'maybe' }), /^ConfigError: SESSION_COOKIE must be on or off \(or true\/false, yes\/no, 1\/0\), got "maybe"$/);
  });

  it('names the setting by its option name when the settings come from code', () => {
    assert.throws(() => resolveConfig({ codeLength: 4 }), /^ConfigError: codeLength must be a whole number from 6 to 10, got 4$/);
    assert.throws(() => resolveConfig({ redisUrl: 'redis://127.0.0.1:6379' }), /^ConfigError: secret is required with redisUrl: /);
    assert.throws(() => resolveConfig({ sessionCookie: true, publicUrl: 'http://auth.example.com' }), /^ConfigError: sessionCookie needs an https publicUrl/);
  });

  it('reads PostgreSQL from DATABASE_URL, DATABASE_SCHEMA and DATABASE_POOL_SIZE, with SECRET, and not beside REDIS_URL', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://app:pw@db.example.com:5432/app', SECRET: 's'.repeat(32) });
    assert.deepEqual([config.databaseUrl, config.databaseSchema, config.databasePoolSize, config.redisUrl], ['postgres://app:pw@db.example.com:5432/app', 'passwordless', 10, null]);
    assert.deepEqual([loadConfig({}).databaseUrl, loadConfig({ DATABASE_SCHEMA: 'auth_2', DATABASE_POOL_SIZE: '25' }).databaseSchema], [null, 'auth_2']);
    assert.throws(() => loadConfig({ DATABASE_URL: 'postgresql://db/app' }), /^ConfigError: SECRET is required with DATABASE_URL: every instance must hash/);
    assert.throws(
      () => loadConfig({ DATABASE_URL: 'postgres://db/app', REDIS_URL: 'redis://cache', SECRET: 's'.repeat(32) }),
      /^ConfigError: DATABASE_URL and REDIS_URL are both set: choose one store/,
    );
  });

  it('refuses a DATABASE_URL that is not PostgreSQL without repeating its password, and a schema name that is not a plain identifier', () => {
    assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://app:hunter2@db/app', SECRET: 's'.repeat(32) }), (error: ConfigError) => {
      assert.deepEqual(error.problems, ['DATABASE_URL must start with postgres:// or postgresql://, like postgres://user:pass@127.0.0.1:5432/app, got "mysql://app:***@db/app"']);
      return true;
    });
    for (const schema of ['Passwordless', 'pl; DROP TABLE users', '"quoted"', '1abc', 'a'.repeat(64)]) {
      assert.throws(() => loadConfig({ DATABASE_SCHEMA: schema }), /DATABASE_SCHEMA must be a schema name of lower-case letters, digits and _ \(at most 63\), like passwordless/, schema);
    }
    assert.throws(() => loadConfig({ DATABASE_POOL_SIZE: '0' }), /^ConfigError: DATABASE_POOL_SIZE must be a whole number from 1 to 100, got 0$/);
  });

  it('starts in production with the three required settings', () => {
    const config = loadConfig(PROD);
    assert.equal(config.production, true);
    assert.equal(config.secret, PROD.SECRET);
  });
  it('lists every bad variable in one error, each a sentence with the form it takes and what it got, a password never repeated', () => {
    const env = { NODE_ENV: 'production', PORT: 'abc', SMTP_URL: 'http://mailer:hunter2@mail.example.com', CODE_LENGTH: '4', USER_CREATION: 'maybe', ALLOWED_ORIGINS: 'https://a.example,https://b.example/path' };
    let error: ConfigError | undefined;
    try {
      loadConfig(env);
    } catch (caught) {
      error = caught as ConfigError;
    }
    assert.ok(error instanceof ConfigError);
    assert.deepEqual(error.problems, [
      'USER_CREATION must be on or off (or true/false, yes/no, 1/0), got "maybe"',
      'PORT must be a whole number from 0 to 65,535, got "abc"',
      'SMTP_URL must start with smtp:// or smtps://, like smtp://user:pass@mail.example.com:587, got "http://mailer:***@mail.example.com"',
      'ALLOWED_ORIGINS must list bare origins like https://app.example.com (http or https, no path), got "https://b.example/path"',
      'CODE_LENGTH must be a whole number from 6 to 10, got 4',
      'PUBLIC_URL is required when NODE_ENV=production: set it to https://auth.example.com',
      'SECRET is required when NODE_ENV=production: set it to the output of `openssl rand -base64 32`',
    ]);
    assert.equal(error.message, `7 settings need fixing:\n  ${error.problems.join('\n  ')}`);
    assert.ok(!error.message.includes('hunter2'));
  });

  it('never repeats the password of a URL whose scheme is mistyped or missing, which no URL parser reads as one', () => {
    for (const [typed, shown] of [
      ['mailer:hunter2@mail.example.com:587', 'mailer:***@mail.example.com:587'],
      ['smtp//mailer:hunter2@mail.example.com', 'smtp//mailer:***@mail.example.com'],
      ['smtp:/mailer:hun/ter2@mail.example.com', 'smtp:***@mail.example.com'],
    ]) {
      assert.throws(() => loadConfig({ SMTP_URL: typed }), (error: ConfigError) => {
        assert.equal(error.problems.length, 1, error.message);
        assert.ok(error.message.includes(`got "${shown}"`), error.message);
        assert.ok(!error.message.includes('hunter2') && !error.message.includes('ter2'), error.message);
        return true;
      });
    }
  });

  it('names each problem by its option when the settings come from code, and never repeats a secret', () => {
    assert.throws(
      () => resolveConfig({ port: 'abc' as unknown as number, smtpUrl: 'mail.example.com', secret: 'short', metricsToken: 'tiny' }),
      (error: ConfigError) => {
        assert.deepEqual(error.problems, [
          'port must be a whole number from 0 to 65,535, got "abc"',
          'secret must be at least 32 characters (e.g. `openssl rand -base64 32`), got 5 characters',
          'smtpUrl must start with smtp:// or smtps://, like smtp://user:pass@mail.example.com:587, got "mail.example.com"',
          'metricsToken must be at least 16 characters (e.g. `openssl rand -hex 16`), got 4 characters',
        ]);
        return true;
      },
    );
  });

  it('warns that passkeys cannot work when the RP ID would be an IP address, and not for a host name', () => {
    for (const [publicUrl, rpId] of [['http://127.0.0.1:3000', '127.0.0.1'], ['http://[::1]:3000', '[::1]'], ['https://203.0.113.7', '203.0.113.7']] as const) {
      const warnings = loadConfig({ PUBLIC_URL: publicUrl }).warnings;
      assert.deepEqual(warnings, [`PASSKEYS is on but the RP ID is the IP address ${rpId} (the host of PUBLIC_URL): browsers refuse passkeys for an IP address; use a host name (localhost in development) or set PASSKEYS=off`]);
      assert.deepEqual(loadConfig({ PUBLIC_URL: publicUrl, PASSKEYS: 'off' }).warnings, []);
    }
    for (const publicUrl of ['http://localhost:3000', 'https://auth.example.com']) assert.deepEqual(loadConfig({ PUBLIC_URL: publicUrl }).warnings, []);
  });

  it('refuses an http PUBLIC_URL in production, unless it is loopback or ALLOW_HTTP_PUBLIC_URL accepts it, which warns', () => {
    assert.throws(() => loadConfig({ ...PROD, PUBLIC_URL: 'http://auth.example.com' }), /^ConfigError: PUBLIC_URL must be https when NODE_ENV=production, got "http:\/\/auth\.example\.com": .* set ALLOW_HTTP_PUBLIC_URL=true/);
    for (const loopback of ['http://localhost:3000', 'http://127.0.0.1:8080', 'http://[::1]:3000']) {
      const config = loadConfig({ ...PROD, PUBLIC_URL: loopback });
      assert.deepEqual([config.publicUrl, config.warnings.filter((warning) => warning.includes('is http'))], [new URL(loopback).origin, []]);
    }
    const allowed = loadConfig({ ...PROD, PUBLIC_URL: 'http://auth.example.com', ALLOW_HTTP_PUBLIC_URL: 'true' });
    assert.equal(allowed.allowHttpPublicUrl, true);
    assert.deepEqual(allowed.warnings, ['PUBLIC_URL is http (http://auth.example.com) in production, allowed by ALLOW_HTTP_PUBLIC_URL: links, codes and sessions cross the network in clear unless TLS ends in front']);
    // Outside production http is the development default, with nothing to say.
    assert.deepEqual(loadConfig({ PUBLIC_URL: 'http://auth.example.com' }).warnings, []);
    assert.throws(() => resolveConfig({ nodeEnv: 'production', publicUrl: 'http://auth.example.com', secret: 's'.repeat(32), smtpUrl: 'smtp://m.example' }), /^ConfigError: publicUrl must be https when nodeEnv=production, .* set allowHttpPublicUrl=true/);
  });

  it('always allows the backend’s own origin and lands on it, besides ALLOWED_ORIGINS and REDIRECT_URLS', () => {
    const own = 'https://auth.example.com';
    const origins = loadConfig({ PUBLIC_URL: own, ALLOWED_ORIGINS: 'https://app.example' });
    assert.deepEqual(origins.allowedOrigins, ['https://app.example', own]);
    assert.deepEqual(origins.redirectUrls, ['https://app.example/', `${own}/`]);
    const prefixes = loadConfig({ PUBLIC_URL: own, ALLOWED_ORIGINS: 'https://app.example', REDIRECT_URLS: 'https://app.example/welcome' });
    assert.deepEqual(prefixes.redirectUrls, ['https://app.example/welcome', `${own}/`]);
    // Without PUBLIC_URL the backend is its localhost origin and its 127.0.0.1 twin.
    assert.deepEqual(loadConfig({ ALLOWED_ORIGINS: 'https://app.example' }).allowedOrigins, ['https://app.example', 'http://localhost:3000', 'http://127.0.0.1:3000']);
  });

  it('checks SMTP at start strictly in production and with a warning elsewhere, unless SMTP_CHECK says', () => {
    assert.equal(loadConfig(PROD).smtpCheck, 'required');
    assert.equal(loadConfig({ ...PROD, SMTP_CHECK: 'warn' }).smtpCheck, 'warn');
    assert.equal(loadConfig({}).smtpCheck, 'warn');
    assert.throws(() => loadConfig({ SMTP_CHECK: 'off' }), /^ConfigError: SMTP_CHECK must be required or warn, got "off"$/);
  });
});
