/**
 * The environment as settings: what the command line (`passwordless-login serve`, the migration,
 * the tests' servers) reads. Each setting's variable is its name in SCREAMING_SNAKE_CASE
 * (`codeTtlSeconds` → `CODE_TTL_SECONDS`); DKIM takes three (DKIM_DOMAIN, DKIM_SELECTOR and
 * DKIM_PRIVATE_KEY_FILE, whose file is read here). This adapter only turns strings into values and
 * names errors by their variable; every default and rule is config.ts's. A number that does not
 * parse goes to the schema as the string it is, so its sentence says the range it must be in; a
 * switch that does not parse is reported here, in the words the environment takes (on/off…), in
 * the same error as the schema's problems.
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
  allowHttpPublicUrl: 'boolean',
  basePath: 'string',
  siteName: 'string',
  dataFile: 'string',
  redisUrl: 'string',
  databaseUrl: 'string',
  databaseSchema: 'string',
  databasePoolSize: 'number',
  secret: 'string',
  jsonCompactBytes: 'number',
  smtpUrl: 'string',
  smtpCheck: 'string',
  mailFrom: 'string',
  mailRetries: 'number',
  mailQueueSize: 'number',
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
  passkeys: 'onOff',
  approvals: 'onOff',
  totp: 'onOff',
  adminEmails: 'list',
  accountEmailChange: 'onOff',
  accountDeletion: 'onOff',
  passkeyRpId: 'string',
  passkeyRpName: 'string',
  auditRetentionDays: 'number',
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

/** Reads the configuration from `env`; throws one ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const { settings, problems } = readEnvironment(env);
  return resolveConfig(settings, variableName, problems);
}

/** The settings the environment holds; throws a ConfigError if a variable is not a value of its kind. */
export function settingsFromEnvironment(env: Record<string, string | undefined>): Settings {
  const { settings, problems } = readEnvironment(env);
  if (problems.length > 0) throw new ConfigError(problems);
  return settings;
}

function readEnvironment(env: Record<string, string | undefined>): { settings: Settings; problems: string[] } {
  const settings: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, kind] of Object.entries(SETTINGS)) {
    const name = variableName([key]);
    // Empty strings mean "unset", as in most .env tooling.
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const value = parse(raw, kind);
    if (value instanceof Problem) problems.push(`${name} ${value.message}, got ${JSON.stringify(raw)}`);
    else settings[key] = value;
  }
  try {
    const dkim = readDkim(env);
    if (dkim) settings.dkim = dkim;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  return { settings, problems };
}

/** A string that is not a value of its kind, with what it must look like. */
class Problem {
  constructor(readonly message: string) {}
}

function parse(raw: string, kind: Kind): unknown {
  switch (kind) {
    case 'string':
      return raw;
    case 'number': {
      // What JavaScript reads as a number (`80`, `1e3`, `0x10`); anything else stays text, which
      // the schema refuses with the range the setting takes.
      const value = Number(raw);
      return raw.trim() === '' || Number.isNaN(value) ? raw : value;
    }
    case 'boolean':
      if (TRUE.includes(raw)) return true;
      if (FALSE.includes(raw)) return false;
      return new Problem('must be on or off (or true/false, yes/no, 1/0)');
    case 'onOff':
      if (raw === 'on' || raw === 'off') return raw === 'on';
      return new Problem('must be on or off');
    case 'list':
      return raw.split(',').map((part) => part.trim()).filter(Boolean);
  }
}

/** DKIM needs all three variables or none; the key file is read now, so a bad path stops the start. */
function readDkim(env: Record<string, string | undefined>): Settings['dkim'] {
  const [domainName, keySelector, keyFile] = Object.values(DKIM_VARIABLES).map((name) => env[name] || undefined);
  const given = [domainName, keySelector, keyFile].filter((v) => v !== undefined).length;
  if (given === 0) return undefined;
  if (given < 3) {
    const names = Object.values(DKIM_VARIABLES);
    const values = [domainName, keySelector, keyFile];
    const set = names.filter((_, i) => values[i] !== undefined);
    const missing = names.filter((_, i) => values[i] === undefined);
    throw new ConfigError(`${set.join(' and ')} need${set.length === 1 ? 's' : ''} ${missing.join(' and ')} too: DKIM takes all three variables or none`);
  }
  let privateKey: string;
  try {
    privateKey = readFileSync(resolve(keyFile!), 'utf8');
  } catch (error) {
    throw new ConfigError(`DKIM_PRIVATE_KEY_FILE must name a readable PEM key file, got ${JSON.stringify(keyFile)} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return { domainName: domainName!, keySelector: keySelector!, privateKey };
}
