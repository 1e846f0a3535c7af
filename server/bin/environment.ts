/**
 * The environment as settings: what the command line (`passwordless-login serve`, the migration,
 * the tests' servers) reads. Each setting's variable is its name in SCREAMING_SNAKE_CASE
 * (`codeTtlSeconds` → `CODE_TTL_SECONDS`); DKIM takes three (DKIM_DOMAIN, DKIM_SELECTOR and
 * DKIM_PRIVATE_KEY_FILE, whose file is read here). This adapter only turns strings into values and
 * names errors by their variable; every default and rule is config.ts's.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, resolveConfig, type Config, type Settings } from '../config.ts';

/** `onOff`: a switch that only takes `on` or `off` (RATE_LIMITS: a typo must not turn the limits off). */
type Kind = 'string' | 'number' | 'boolean' | 'onOff' | 'list';

/** Each setting's kind of value; the variable's name comes from the setting's. */
const SETTINGS: Record<Exclude<keyof Settings, 'dkim'>, Kind> = {
  nodeEnv: 'string',
  port: 'number',
  host: 'string',
  publicUrl: 'string',
  basePath: 'string',
  siteName: 'string',
  dataFile: 'string',
  redisUrl: 'string',
  secret: 'string',
  jsonCompactBytes: 'number',
  smtpUrl: 'string',
  mailFrom: 'string',
  mailRetries: 'number',
  templatesDir: 'string',
  allowedOrigins: 'list',
  redirectUrls: 'list',
  trustProxy: 'number',
  sessionCookie: 'boolean',
  rateLimits: 'onOff',
  requestsPerIp: 'number',
  verifiesPerIp: 'number',
  codeLength: 'number',
  codeTtlSeconds: 'number',
  resendSeconds: 'number',
  maxAttempts: 'number',
  sessionTtlSeconds: 'number',
  userCreation: 'boolean',
  codesPerHour: 'number',
  metricsToken: 'string',
  accessTokenTtlSeconds: 'number',
  accessTokenAudience: 'string',
  signingKeyRotationSeconds: 'number',
};

const DKIM_VARIABLES = { domainName: 'DKIM_DOMAIN', keySelector: 'DKIM_SELECTOR', privateKey: 'DKIM_PRIVATE_KEY_FILE' } as const;
const TRUE = ['true', '1', 'on', 'yes'];
const FALSE = ['false', '0', 'off', 'no'];

/** `codeTtlSeconds` → `CODE_TTL_SECONDS`; `['dkim', 'privateKey']` → `DKIM_PRIVATE_KEY_FILE`. */
export function variableName(path: readonly PropertyKey[]): string {
  const [key, field] = path.map(String);
  if (key === 'dkim') return DKIM_VARIABLES[field as keyof typeof DKIM_VARIABLES] ?? 'DKIM_DOMAIN';
  return key!.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase();
}

/** Reads the configuration from `env`; throws a ConfigError whose message names the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return resolveConfig(settingsFromEnvironment(env), variableName);
}

export function settingsFromEnvironment(env: Record<string, string | undefined>): Settings {
  const settings: Record<string, unknown> = {};
  for (const [key, kind] of Object.entries(SETTINGS)) {
    const name = variableName([key]);
    // Empty strings mean "unset", as in most .env tooling.
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    settings[key] = parse(name, raw, kind);
  }
  const dkim = readDkim(env);
  return dkim ? { ...settings, dkim } : settings;
}

function parse(name: string, raw: string, kind: Kind): unknown {
  switch (kind) {
    case 'string':
      return raw;
    case 'number': {
      // What JavaScript reads as a number (`80`, `1e3`, `0x10`); whether it must be whole, and its
      // bounds, are the schema's.
      const value = Number(raw);
      if (raw.trim() === '' || Number.isNaN(value)) throw new ConfigError(`${name}: must be a number, got "${raw}"`);
      return value;
    }
    case 'boolean':
      if (TRUE.includes(raw)) return true;
      if (FALSE.includes(raw)) return false;
      throw new ConfigError(`${name}: must be on or off (or true/false, yes/no, 1/0), got "${raw}"`);
    case 'onOff':
      if (raw === 'on' || raw === 'off') return raw === 'on';
      throw new ConfigError(`${name}: must be on or off, got "${raw}"`);
    case 'list':
      return raw.split(',').map((part) => part.trim()).filter(Boolean);
  }
}

/** DKIM needs all three variables or none; the key file is read now, so a bad path stops the start. */
function readDkim(env: Record<string, string | undefined>): Settings['dkim'] {
  const [domainName, keySelector, keyFile] = Object.values(DKIM_VARIABLES).map((name) => env[name] || undefined);
  const given = [domainName, keySelector, keyFile].filter((v) => v !== undefined).length;
  if (given === 0) return undefined;
  if (given < 3) throw new ConfigError('DKIM_DOMAIN: DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY_FILE go together');
  let privateKey: string;
  try {
    privateKey = readFileSync(resolve(keyFile!), 'utf8');
  } catch (error) {
    throw new ConfigError(`DKIM_PRIVATE_KEY_FILE: cannot read ${keyFile} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return { domainName: domainName!, keySelector: keySelector!, privateKey };
}
