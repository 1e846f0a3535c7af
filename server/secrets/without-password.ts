/**
 * A URL fit for a message or a log: `redis://user:***@host:6379`, `postgres://app:***@db/app`, and
 * `user:***@host` when the scheme is mistyped or missing (`smtp//u:p@h` or `u:p@h` are no URL to
 * `new URL`, and still hold a password). Read as text, not parsed, so it never throws and never
 * respells what the operator typed. A pure function with no imports: the start-up log and the
 * doctor name a Redis or PostgreSQL URL without loading ioredis or pg for it.
 */
export function withoutPassword(url: string): string {
  return url.includes('//') ? url.replace(/\/\/([^:@/]*):[^@]*@/, '//$1:***@') : url.replace(/^([^:@/]*):[^@]*@/, '$1:***@');
}
