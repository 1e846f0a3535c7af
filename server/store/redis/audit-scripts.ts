/**
 * The Redis store's scripts for the audit trail, the daily counts and the count of live sessions
 * (apart from lua-scripts.ts so each file keeps one job). Key layout: redis-store.ts.
 *
 * A trail entry is a member `<16-digit sequence> <JSON record>` of `audit` (everyone's) and of
 * `audit-user:<userId>`, both scored by `at`: the sequence keeps two equal records apart and
 * orders entries of one millisecond as they were appended.
 */
import type { Redis } from 'ioredis';

/** Characters before a member's JSON: the sequence and its space. */
export const MEMBER_PREFIX = 17;

// KEYS: audit, audit-seq. ARGV: the audit-user: key prefix, how long a user's set lives after its
// newest entry (ms; 0: no expiry), now (ms), then per record: at, user id ('' = none), the JSON.
// An expiry only ever moves later (PTTL, not PEXPIRETIME: Redis 6.2 has no PEXPIRETIME), so
// copying old entries in (the migration) never cuts a user's set short.
const APPEND_AUDIT = `
local prefix, keep, now = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
for i = 4, #ARGV, 3 do
  local member = string.format('%016d', redis.call('INCR', KEYS[2])) .. ' ' .. ARGV[i + 2]
  redis.call('ZADD', KEYS[1], ARGV[i], member)
  if ARGV[i + 1] ~= '' then
    local userKey = prefix .. ARGV[i + 1]
    redis.call('ZADD', userKey, ARGV[i], member)
    local expireAt = tonumber(ARGV[i]) + keep
    if keep > 0 then
      local ttl = redis.call('PTTL', userKey)
      if ttl == -1 or now + ttl < expireAt then redis.call('PEXPIREAT', userKey, expireAt) end
    end
  end
end
`;

// KEYS: audit. ARGV: the audit-user: key prefix, before (ms), batch size. Removes one batch of the
// oldest entries from everyone's set and their users' sets; returns how many.
const SWEEP_AUDIT = `
local members = redis.call('ZRANGE', KEYS[1], '-inf', '(' .. ARGV[2], 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[3]))
for _, member in ipairs(members) do
  local ok, record = pcall(cjson.decode, string.sub(member, ${MEMBER_PREFIX + 1}))
  if ok and type(record) == 'table' and type(record.userId) == 'string' then redis.call('ZREM', ARGV[1] .. record.userId, member) end
  redis.call('ZREM', KEYS[1], member)
end
return #members
`;

// KEYS: daily:<day>, daily-days. ARGV: the day's midnight (ms), until when it is kept (ms; 0: no
// expiry), the day, then counter, amount pairs. One script: the increments of two instances add up.
const ADD_DAILY_COUNTS = `
for i = 4, #ARGV, 2 do redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[3])
if tonumber(ARGV[2]) > 0 then redis.call('PEXPIREAT', KEYS[1], ARGV[2]) end
`;

// KEYS: daily-days. ARGV: the daily: key prefix, the first midnight kept (ms). Returns how many days went.
const SWEEP_DAILY_COUNTS = `
local days = redis.call('ZRANGE', KEYS[1], '-inf', '(' .. ARGV[2], 'BYSCORE', 'LIMIT', 0, 1000)
for _, day in ipairs(days) do
  redis.call('DEL', ARGV[1] .. day)
  redis.call('ZREM', KEYS[1], day)
end
return #days
`;

// KEYS: sessions-by-expiry, then session:<tokenHash> keys. ARGV: the session key prefix's length.
// Adds sessions stored before the set existed (a start's SCAN, a page per call).
const FILL_SESSION_COUNT = `
local skip = tonumber(ARGV[1])
for i = 2, #KEYS do
  local raw = redis.call('GET', KEYS[i])
  local ok, session = pcall(cjson.decode, raw or '')
  if ok and type(session) == 'table' and type(session.expiresAt) == 'number' then
    redis.call('ZADD', KEYS[1], session.expiresAt, string.sub(KEYS[i], skip + 1))
  end
end
return 1
`;

export interface AuditScripted {
  plAppendAudit(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<null>;
  plSweepAudit(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
  plAddDailyCounts(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<null>;
  plSweepDailyCounts(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
  plFillSessionCount(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
}

export function defineAuditScripts(client: Redis): AuditScripted {
  client.defineCommand('plAppendAudit', { lua: APPEND_AUDIT });
  client.defineCommand('plSweepAudit', { lua: SWEEP_AUDIT });
  client.defineCommand('plAddDailyCounts', { lua: ADD_DAILY_COUNTS });
  client.defineCommand('plSweepDailyCounts', { lua: SWEEP_DAILY_COUNTS });
  client.defineCommand('plFillSessionCount', { lua: FILL_SESSION_COUNT });
  return client as unknown as AuditScripted;
}
