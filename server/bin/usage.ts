/**
 * The command lines of the bin's commands, in a file of their own: the bin prints them without
 * loading the commands (passwordless-login.ts imports each command only when it runs).
 */
export const DOCTOR_USAGE = 'passwordless-login doctor [--send-test-mail you@example.com]';
export const MIGRATE_USAGE = 'passwordless-login migrate --from ./data/passwordless.json|redis://…|postgres://… --to postgres://…|redis://…|FILE [--force] [--prefix pl:] [--schema passwordless]';
export const USERS_USAGE = 'passwordless-login users list [--search TEXT] [--sort created|last-sign-in] [--limit N] [--after CURSOR] [--json] | show ID|ADDRESS | block ID|ADDRESS | unblock ID|ADDRESS | delete ID|ADDRESS [--yes] | export ID|ADDRESS | totp-off ID|ADDRESS';
export const MIGRATE_TO_REDIS_USAGE = 'passwordless-login migrate-to-redis --from ./data/passwordless.json --to redis://host:6379 [--force] [--prefix pl:]';
