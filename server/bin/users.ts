/**
 * `passwordless-login users <list|show|block|unblock|delete|export|totp-off>` (`npm run users -- …` in this repository):
 * the users of the store `serve` would open (DATA_FILE, REDIS_URL or DATABASE_URL), for an
 * operator's scripts and erasure or data-access requests. Exit 0 done, 1 no such user or a store
 * that cannot be opened, 2 a wrong command line (with the usage line).
 *
 * `delete` erases through the library's own path (login/erase-user.ts): sessions ended, then the
 * store's atomic erasure, audited `user_deleted` with `by: "cli"` and the id alone. A JSON store is
 * held by the running server (its lock): the command says so and touches nothing.
 *
 * `block` and `unblock` go through the library's path too (login/blocking.ts): a block ends every
 * session at once, audited `user_blocked` / `user_unblocked` with `by: "cli"`.
 *
 * `totp-off` turns a user's authenticator-app codes off (second-factor/turn-off.ts), audited
 * `totp_disabled` with `by: "cli"`: after a SECRET rotation no code of theirs can be checked (the
 * secret does not open, the recovery codes are keyed under SECRET too), and this lets them sign
 * in by email again. Nothing is mailed: the command has no mailer, and the operator acts at the
 * user's request.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { adminRecords } from '../admin/admin-records.ts';
import { exportUser } from '../admin/admin-views.ts';
import { parseEmailAddress } from '../login/email-address.ts';
import { blockUser, unblockUser } from '../login/blocking.ts';
import { eraseUser } from '../login/erase-user.ts';
import { retentionFor } from '../login/retention.ts';
import { toPublicUser } from '../login/users.ts';
import { createAuditLog, type AuditLog } from '../observability/audit.ts';
import { createAuditTrail } from '../observability/audit-trail.ts';
import { createJsonLogger, type Logger } from '../observability/logger.ts';
import { turnOffTotp } from '../second-factor/turn-off.ts';
import { openStore } from '../store/open-store.ts';
import { InvalidUserListQuery, MAX_PAGE } from '../store/user-list.ts';
import { StoreError, type Store, type UserRecord } from '../store/types.ts';
import { systemClock } from '../time/clock.ts';
import { loadConfig } from './environment.ts';
import { USERS_USAGE } from './usage.ts';

const SUBCOMMANDS = ['list', 'show', 'block', 'unblock', 'delete', 'export', 'totp-off'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];
/** A page of a readable table: one screen. */
const DEFAULT_LIMIT = 20;

export interface UsersOptions {
  env?: Record<string, string | undefined>;
  /** Whether someone can answer the confirmation (default: stdin is a terminal). */
  interactive?: boolean;
}

/** Runs the command; resolves with the exit code. */
export async function users(argv: string[], options: UsersOptions = {}): Promise<number> {
  const [subcommand, ...rest] = argv;
  if (!SUBCOMMANDS.includes(subcommand as Subcommand)) return usageError(subcommand === undefined ? 'users needs a subcommand.' : `Unknown users subcommand "${subcommand}".`);
  // A user id may begin with a dash (ids are base64url: about 1 in 64 does): parseArgs would read
  // `-S…` as short options, and this command has none, so every single-dash word is a positional.
  const ids = rest.filter((arg) => /^-[^-]/.test(arg));
  const args = ids.length ? [...rest.filter((arg) => !ids.includes(arg)), '--', ...ids] : rest;
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        search: { type: 'string' },
        sort: { type: 'string' },
        limit: { type: 'string' },
        after: { type: 'string' },
        json: { type: 'boolean', default: false },
        yes: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    // An unknown option or a missing value: the operator's mistake, not a bug.
    return usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const listOnly = (['search', 'sort', 'limit', 'after', 'json'] as const).filter((name) => values[name] !== undefined && values[name] !== false);
  if (subcommand === 'list') {
    if (positionals.length > 0 || values.yes) return usageError(`"users list" takes only options (got ${[...positionals, ...(values.yes ? ['--yes'] : [])].join(' ')}).`);
  } else {
    if (positionals.length !== 1) return usageError(`"users ${subcommand}" takes one user: an id or an address.`);
    if (listOnly.length > 0) return usageError(`--${listOnly[0]} is an option of "users list" only.`);
    if (values.yes && subcommand !== 'delete') return usageError('--yes is an option of "users delete" only.');
  }
  let list: { limit: number; sort: 'created' | 'last_sign_in'; search?: string; after?: string } | undefined;
  if (subcommand === 'list') {
    const limit = values.limit === undefined ? DEFAULT_LIMIT : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) return usageError(`--limit must be a whole number from 1 to ${MAX_PAGE}, got ${JSON.stringify(values.limit)}.`);
    if (values.sort !== undefined && values.sort !== 'created' && values.sort !== 'last-sign-in') return usageError(`--sort must be created or last-sign-in, got ${JSON.stringify(values.sort)}.`);
    list = { limit, sort: values.sort === 'last-sign-in' ? 'last_sign_in' : 'created', ...(values.search !== undefined ? { search: values.search } : {}), ...(values.after !== undefined ? { after: values.after } : {}) };
  }

  const config = loadConfig(options.env ?? process.env);
  const logger = createJsonLogger();
  const store = await openOperatorStore(config);
  // A block or a delete goes into the store's audit trail as a server's would (AUDIT_RETENTION_DAYS),
  // written before the store closes: the console's user page and `export` show it.
  const trail = config.auditRetentionDays > 0 ? createAuditTrail({ store, clock: systemClock, logger, timer: false }) : undefined;
  const audit = createAuditLog(logger, systemClock, trail);
  try {
    if (list) return await listUsers(store, list, values.json);
    const user = await findUser(store, positionals[0]!);
    if (!user) {
      process.stderr.write(`No such user: ${positionals[0]}\n`);
      return 1;
    }
    if (subcommand === 'show') return await showUser(store, user);
    if (subcommand === 'block' || subcommand === 'unblock') return await changeBlock(store, user, subcommand, { logger, audit });
    if (subcommand === 'totp-off') return await totpOff(store, user, audit);
    if (subcommand === 'export') {
      // The console's export (admin-views.ts), with every entry of the user's audit trail kept.
      const entries = await adminRecords(store, systemClock, trail).userAudit(user.id, Number.MAX_SAFE_INTEGER);
      process.stdout.write(`${JSON.stringify(await exportUser(store, user, entries), null, 2)}\n`);
      return 0;
    }
    return await deleteUser(store, user, { yes: values.yes, interactive: options.interactive ?? process.stdin.isTTY === true, logger, audit });
  } finally {
    await trail?.close();
    await store.close();
  }
}

/** A wrong command line: the reason and the usage on stderr, exit code 2. */
function usageError(reason: string): number {
  process.stderr.write(`${reason}\nusage: ${USERS_USAGE}\n`);
  return 2;
}

async function openOperatorStore(config: ReturnType<typeof loadConfig>): Promise<Store> {
  // Opening a JSON store that is not there makes an empty one: a mistyped DATA_FILE would then
  // list no users, and leave a stray store behind, instead of saying where it looked.
  if (!config.redisUrl && !config.databaseUrl && !existsSync(config.dataFile)) {
    throw new StoreError(`There is no JSON store at ${resolve(config.dataFile)} (DATA_FILE): set DATA_FILE to the file serve uses, or REDIS_URL or DATABASE_URL (nothing was created).`);
  }
  try {
    const { store } = await openStore({
      dataFile: config.dataFile,
      jsonCompactBytes: config.jsonCompactBytes,
      redisUrl: config.redisUrl,
      databaseUrl: config.databaseUrl,
      databaseSchema: config.databaseSchema,
      databasePoolSize: 2,
      retention: retentionFor(config),
      clock: systemClock,
    });
    return store;
  } catch (error) {
    // The JSON store belongs to one process: a running server keeps it, and two writers would
    // each accept what the other erased. Say what to do rather than wait or take it.
    if (error instanceof StoreError && !config.redisUrl && !config.databaseUrl && error.message.includes('in use by another process')) {
      throw new StoreError(`${error.message} The users command needs the JSON store to itself: stop the server first (nothing was read or changed).`);
    }
    throw error;
  }
}

/** By id, or by address when it has an `@` (compared as the identity key: case, IDN). */
async function findUser(store: Store, idOrAddress: string): Promise<UserRecord | null> {
  if (!idOrAddress.includes('@')) return store.findUserById(idOrAddress);
  const key = parseEmailAddress(idOrAddress)?.key;
  return key ? store.findUserByEmailKey(key) : null;
}

async function listUsers(store: Store, query: { limit: number; sort: 'created' | 'last_sign_in'; search?: string; after?: string }, json: boolean): Promise<number> {
  let page;
  try {
    page = await store.listUsers(query);
  } catch (error) {
    if (error instanceof InvalidUserListQuery) return usageError(`${error.message}.`);
    throw error;
  }
  const count = await store.countUsers();
  const users = page.users.map(toPublicUser);
  if (json) {
    process.stdout.write(`${JSON.stringify({ count, users, next: page.next })}\n`);
    return 0;
  }
  // A blocked user's row says so after the last sign-in, so a scan of the list shows them.
  const rows = [['ID', 'ADDRESS', 'CREATED', 'LAST SIGN-IN', ''], ...page.users.map((user) => [user.id, user.email, user.createdAt, user.lastLoginAt ?? 'never', user.blockedAt ? 'blocked' : ''])];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = [`${count} ${count === 1 ? 'user' : 'users'} in the store${query.search !== undefined ? `; this page: matching "${query.search}"` : ''}`];
  for (const row of rows) lines.push(row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
  if (users.length === 0) lines.push('(none)');
  lines.push(page.next ? `next page: --after ${page.next}` : 'last page');
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

async function showUser(store: Store, record: UserRecord): Promise<number> {
  // What the console shows and exports (admin-views.ts): never a token, a hash, a public key or a counter.
  const { user, sessions, passkeys } = await exportUser(store, record);
  const newest = sessions.map((session) => session.expiresAt).sort().at(-1);
  const lines = [
    `id            ${user.id}`,
    `address       ${user.email}`,
    `created       ${user.createdAt}`,
    `last sign-in  ${user.lastLoginAt ?? 'never'}`,
    `sessions      ${sessions.length}${newest ? ` (the newest expires ${newest})` : ''}`,
    `passkeys      ${passkeys.length}`,
    ...(user.blockedAt ? [`blocked since ${user.blockedAt}`] : []),
    ...passkeys.map((passkey) => `  ${passkey.name}: created ${passkey.createdAt}, last used ${passkey.lastUsedAt ?? 'never'}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

async function changeBlock(store: Store, user: UserRecord, action: 'block' | 'unblock', { logger, audit }: { logger: Logger; audit: AuditLog }): Promise<number> {
  const context = { store, logger, hooks: {}, clock: systemClock, audit };
  const changed = action === 'block' ? await blockUser(context, user.id, { by: 'cli' }) : await unblockUser(context, user.id, { by: 'cli' });
  if (!changed) {
    // Erased or moved by someone else between the lookup and now.
    process.stderr.write(`No such user: ${user.id}\n`);
    return 1;
  }
  process.stdout.write(action === 'block' ? `Blocked user ${user.id} since ${new Date(changed.blockedAt!).toISOString()}: every session ended; their address gets no mail and nothing signs them in.\n` : `Unblocked user ${user.id}${user.blockedAt ? '' : ' (was not blocked)'}.\n`);
  return 0;
}

async function totpOff(store: Store, user: UserRecord, audit: AuditLog): Promise<number> {
  const was = await turnOffTotp(store, user.id, user.emailKey);
  if (was) audit.totpDisabled({ userId: user.id, by: 'cli' });
  process.stdout.write(was ? `Turned off two-step verification for user ${user.id}: they sign in by email alone until they turn it on again.\n` : `Two-step verification was not on for user ${user.id}.\n`);
  return 0;
}

async function deleteUser(store: Store, user: UserRecord, { yes, interactive, logger, audit }: { yes: boolean; interactive: boolean; logger: Logger; audit: AuditLog }): Promise<number> {
  if (!yes) {
    // A script must say it: nobody is there to read the question.
    if (!interactive) return usageError(`Not deleting ${user.id}: stdin is not a terminal, so nobody can confirm; pass --yes to delete from a script.`);
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await prompt.question(`Delete user ${user.id} (${user.email}), their sessions and passkeys, for good? Type yes: `);
    prompt.close();
    if (answer.trim().toLowerCase() !== 'yes') {
      process.stderr.write('Not deleted.\n');
      return 1;
    }
  }
  const erased = await eraseUser({ store, logger, hooks: {}, audit: { ...audit, userDeleted: (entry) => audit.userDeleted({ ...entry, by: 'cli' }) } }, user.id);
  if (!erased) {
    // Erased by someone else between the lookup and now.
    process.stderr.write(`No such user: ${user.id}\n`);
    return 1;
  }
  process.stdout.write(`Deleted user ${user.id}: ${erased.sessions} ${erased.sessions === 1 ? 'session' : 'sessions'} ended, ${erased.passkeys} ${erased.passkeys === 1 ? 'passkey' : 'passkeys'} removed.\n`);
  return 0;
}
