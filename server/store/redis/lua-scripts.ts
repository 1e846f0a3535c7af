/**
 * The Redis store's Lua scripts: each change that touches more than one key (a login state and
 * its link-token index, a user and its email index, a session and its user's set, a passkey and
 * its user's set) runs as one
 * script, so Redis applies it whole or not at all and no other command interleaves. Key layout
 * and why compare-and-set: redis-store.ts.
 */
import type { Redis } from 'ioredis';

// KEYS: login key, link keys to delete (ARGV[4] of them), link keys to set.
// ARGV: expected value ('' = absent), next value ('' = delete), its PEXPIREAT, count of deletes,
//       the email key (the link keys' value), then one PEXPIREAT per link key to set.
const SET_LOGIN = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '' then
  if current then return 0 end
elseif current ~= ARGV[1] then
  return 0
end
local deletes = tonumber(ARGV[4])
for i = 2, 1 + deletes do redis.call('DEL', KEYS[i]) end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], ARGV[2], 'PXAT', ARGV[3])
end
for i = 2 + deletes, #KEYS do
  redis.call('SET', KEYS[i], ARGV[5], 'PXAT', ARGV[5 + i - 1 - deletes])
end
return 1
`;

// The members of a user in the two list sets (users-by-created, users-by-sign-in): user-list.ts's
// listKey, the time (none: the empty string) and the id after a space. Prepended to the scripts
// that keep the sets.
// A value that is not a user record (not JSON, no id: written by hand) has none: it is never listed,
// and a start still succeeds.
const LIST_MEMBERS = `
local function listMembers(raw)
  local ok, user = pcall(cjson.decode, raw)
  if not ok or type(user) ~= 'table' or type(user.id) ~= 'string' or type(user.createdAt) ~= 'string' then return nil, nil end
  local signedIn = user.lastLoginAt
  if type(signedIn) ~= 'string' then signedIn = '' end
  return user.createdAt .. ' ' .. user.id, signedIn .. ' ' .. user.id
end
`;

// KEYS: user-email:<emailKey>, user:<id read> (or KEYS[1] if none), user:<next id> (or KEYS[1]),
// users-by-created, users-by-sign-in.
// ARGV: id read ('' = none), record read ('' = none), next record ('' = delete), next id.
// The list sets change with the record: the members of the record read go, the next one's come.
const SET_USER = `${LIST_MEMBERS}
local id = redis.call('GET', KEYS[1]) or ''
if id ~= ARGV[1] then return 0 end
if id ~= '' then
  if (redis.call('GET', KEYS[2]) or '') ~= ARGV[2] then return 0 end
  redis.call('DEL', KEYS[2], KEYS[1])
  local created, signedIn = listMembers(ARGV[2])
  if created then
    redis.call('ZREM', KEYS[4], created)
    redis.call('ZREM', KEYS[5], signedIn)
  end
end
if ARGV[3] ~= '' then
  redis.call('SET', KEYS[3], ARGV[3])
  redis.call('SET', KEYS[1], ARGV[4])
  local created, signedIn = listMembers(ARGV[3])
  if created then
    redis.call('ZADD', KEYS[4], 0, created)
    redis.call('ZADD', KEYS[5], 0, signedIn)
  end
end
return 1
`;

// KEYS: users-by-created, users-by-sign-in, then user:<id> keys. Adds those users to the list sets
// (a start fills them for users stored before the sets existed; adding twice changes nothing).
const FILL_USER_LISTS = `${LIST_MEMBERS}
for i = 3, #KEYS do
  local raw = redis.call('GET', KEYS[i])
  local created, signedIn = listMembers(raw or '')
  if created then
    redis.call('ZADD', KEYS[1], 0, created)
    redis.call('ZADD', KEYS[2], 0, signedIn)
  end
end
return #KEYS - 2
`;

// KEYS: user:<id>. ARGV: the key prefix, the id. Erases the user and everything about them in one
// step: the email index, the login state and its link keys, each session and passkey with the
// user's sets of them, the list-set members. Returns {sessions, passkeys} removed, or nil when
// there is no such user (erasing twice). The other keys are computed from the prefix and the
// stored record, as DELETE_SESSION's set key is.
const ERASE_USER = `${LIST_MEMBERS}
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local prefix, id = ARGV[1], ARGV[2]
local ok, user = pcall(cjson.decode, raw)
local emailKey = ok and type(user) == 'table' and type(user.emailKey) == 'string' and user.emailKey or nil
-- The address's login state goes unless the address now belongs to another user (a record left
-- over by hand or by an older bug: that user's login is not this one's to erase).
local owner = emailKey and redis.call('GET', prefix .. 'user-email:' .. emailKey)
if emailKey and (not owner or owner == id) then
  redis.call('DEL', prefix .. 'user-email:' .. emailKey)
  local loginKey = prefix .. 'login:' .. emailKey
  local login = redis.call('GET', loginKey)
  if login then
    for _, sequence in ipairs(cjson.decode(login).sequences) do redis.call('DEL', prefix .. 'link:' .. sequence.tokenHash) end
    redis.call('DEL', loginKey)
  end
end
local sessions, passkeys = 0, 0
local sessionSet, passkeySet = prefix .. 'user-sessions:' .. id, prefix .. 'user-passkeys:' .. id
for _, hash in ipairs(redis.call('ZRANGE', sessionSet, 0, -1)) do
  sessions = sessions + redis.call('DEL', prefix .. 'session:' .. hash)
  redis.call('ZREM', prefix .. 'sessions-by-expiry', hash)
end
for _, credential in ipairs(redis.call('ZRANGE', passkeySet, 0, -1)) do passkeys = passkeys + redis.call('DEL', prefix .. 'passkey:' .. credential) end
redis.call('DEL', sessionSet, passkeySet, KEYS[1])
local created, signedIn = listMembers(raw)
if created then
  redis.call('ZREM', prefix .. 'users-by-created', created)
  redis.call('ZREM', prefix .. 'users-by-sign-in', signedIn)
end
return {sessions, passkeys}
`;

// One round trip for a hit and for a miss alike (the answer for an unknown address must not come
// measurably sooner). KEYS[1]: user-email:<emailKey>; ARGV[1]: the user-key prefix.
const GET_USER = `
local id = redis.call('GET', KEYS[1])
if not id then return {'', ''} end
return {id, redis.call('GET', ARGV[1] .. id) or ''}
`;

// KEYS: session:<tokenHash>, user-sessions:<userId>, sessions-by-expiry. ARGV: the session JSON,
// its expiresAt, the token hash, now. Both sets drop the members that expired first.
const CREATE_SESSION = `
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[2], last[2])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[4])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[3])
`;

// KEYS: session:<tokenHash>. ARGV: the user-sessions key prefix, the token hash, the
// sessions-by-expiry key. The set's key comes from the stored session (who owns it), read in the
// same atomic step.
const DELETE_SESSION = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', ARGV[1] .. cjson.decode(raw).userId, ARGV[2])
redis.call('ZREM', ARGV[3], ARGV[2])
return 1
`;

// KEYS: user-sessions:<userId>. ARGV: the session key prefix, the sessions-by-expiry key. Counts
// the sessions that were still there (a member whose session already expired deletes nothing).
const DELETE_USER_SESSIONS = `
local removed = 0
for _, hash in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  removed = removed + redis.call('DEL', ARGV[1] .. hash)
  redis.call('ZREM', ARGV[2], hash)
end
redis.call('DEL', KEYS[1])
return removed
`;

// KEYS: passkey:<id>, user-passkeys:<userId>. ARGV: the passkey JSON, its createdAt, its id.
// A credential ID is unique across users: NX refuses one that exists, whoever owns it.
const ADD_PASSKEY = `
if not redis.call('SET', KEYS[1], ARGV[1], 'NX') then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
`;

// KEYS: passkey:<id>, user-passkeys:<owner read> (KEYS[3] if none), user-passkeys:<next owner>
// (KEYS[2] if removed). ARGV: the JSON read ('' = none), the next JSON ('' = remove), the id, the
// next createdAt. Compare-and-set, as SET_USER.
const SET_PASSKEY = `
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[1] then return 0 end
if current ~= '' then redis.call('ZREM', KEYS[2], ARGV[3]) end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], ARGV[2])
  redis.call('ZADD', KEYS[3], ARGV[4], ARGV[3])
end
return 1
`;

// KEYS: user-passkeys:<userId>. ARGV: the passkey key prefix. The passkeys, oldest first, in one
// round trip.
const LIST_PASSKEYS = `
local found = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local raw = redis.call('GET', ARGV[1] .. id)
  if raw then found[#found + 1] = raw end
end
return found
`;

// KEYS: user:<id>, user-email:<old emailKey>, user-email:<new emailKey>. ARGV: the record read,
// the record at its new address, the id. Moves a user to another address (changeUserEmail) in one
// step, compare-and-set on the record read as SET_USER is. Returns 1 when moved, 0 when the record
// changed since it was read (the caller reads again), -1 when another user holds the new address.
// The list sets' members name the creation and last sign-in times and the id: they stay as they are.
const MOVE_USER = `
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then return 0 end
local holder = redis.call('GET', KEYS[3])
if holder and holder ~= ARGV[3] then return -1 end
if redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
redis.call('SET', KEYS[3], ARGV[3])
redis.call('SET', KEYS[1], ARGV[2])
return 1
`;

/** The scripts as commands on the client (ioredis `defineCommand`: EVALSHA, loaded again after a restart). */
export interface Scripted {
  plSetLogin(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
  plSetUser(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
  plGetUser(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<[string, string]>;
  plCreateSession(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<null>;
  plDeleteSession(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
  plDeleteUserSessions(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
  plAddPasskey(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
  plSetPasskey(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
  plListPasskeys(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<string[]>;
  plFillUserLists(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
  plEraseUser(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<[number, number] | null>;
  plMoveUser(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
}

/** Defines every script on `client` and returns it typed with them. */
export function defineScripts(client: Redis): Scripted {
  client.defineCommand('plSetLogin', { lua: SET_LOGIN });
  client.defineCommand('plSetUser', { lua: SET_USER });
  client.defineCommand('plGetUser', { lua: GET_USER });
  client.defineCommand('plCreateSession', { lua: CREATE_SESSION });
  client.defineCommand('plDeleteSession', { lua: DELETE_SESSION });
  client.defineCommand('plDeleteUserSessions', { lua: DELETE_USER_SESSIONS });
  client.defineCommand('plAddPasskey', { lua: ADD_PASSKEY });
  client.defineCommand('plSetPasskey', { lua: SET_PASSKEY });
  client.defineCommand('plListPasskeys', { lua: LIST_PASSKEYS });
  client.defineCommand('plFillUserLists', { lua: FILL_USER_LISTS });
  client.defineCommand('plEraseUser', { lua: ERASE_USER });
  client.defineCommand('plMoveUser', { lua: MOVE_USER });
  return client as unknown as Scripted;
}
