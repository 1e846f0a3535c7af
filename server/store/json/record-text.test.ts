/** The compact in-memory form of records: every record reads back exactly, and a usual one takes about half. */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openJsonStore } from './json-store.ts';
import { LOGIN, pack, PASSKEY, SESSION, unpack, USER, type RecordShape } from './record-text.ts';
import type { LoginState, PasskeyRecord, SessionRecord, UserRecord } from '../types.ts';

const user: UserRecord = { id: 'Yk3tI5cT0sRk5mQ2', email: 'ann@example.com', emailKey: 'ann@example.com', emailVerified: true, createdAt: '2026-12-07T05:01:30.781Z', lastLoginAt: null, data: { plan: 'free' } };
const login: LoginState = {
  emailKey: 'ann@example.com',
  address: 'Ann@Example.com',
  sequences: [{ id: 's1', codeHash: 'c', tokenHash: 't', createdAt: 1, expiresAt: 2, usedAt: null, burntAt: 3, locale: 'ar', userData: { a: [1] } }],
  attempts: 2,
  lastRequestAt: 1,
  requestTimes: [1],
  lastFailureAt: null,
};
const approval = { keyHash: 'k', number: 47, device: 'Chrome on macOS', seenAt: 1, approvedAt: null, refusedAt: null, collectedAt: null };
const session: SessionRecord = { tokenHash: 'h1', userId: 'Yk3tI5cT0sRk5mQ2', createdAt: 1, expiresAt: 2 };
const passkey: PasskeyRecord = {
  id: 'q0wGkJ2N7b8rKx1sVd3YfA',
  userId: 'Yk3tI5cT0sRk5mQ2',
  publicKey: 'pQECAyYgASFYIGxq8wU4Yq3e6y5cQbW4G9fGz1jV9gYg2H1sJqk8pQ3mIlggx0Vq0p8rKfBz6b2cQyL3e9kJ4Hh6v1dN2sF7aT8mC5E',
  counter: 0,
  transports: ['internal', 'hybrid'],
  backedUp: true,
  name: 'Chrome on macOS',
  createdAt: 1765090890781,
  lastUsedAt: null,
};

const cases: [string, RecordShape, string, object][] = [
  ['a user', USER, 'ann@example.com', user],
  ['a user whose address differs from its key', USER, 'ann@example.com', { ...user, email: 'Ann@Example.com' }],
  ['a user stored under another key', USER, 'other@example.com', user],
  ['a user with a field the store does not know', USER, 'ann@example.com', { ...user, role: 'admin' }],
  ['a user without a field', USER, 'ann@example.com', { id: 'x', email: 'ann@example.com', emailKey: 'ann@example.com' }],
  ['a user with null where the key could stand', USER, 'ann@example.com', { ...user, email: null }],
  ['a blocked user', USER, 'ann@example.com', { ...user, blockedAt: 1765090890781 }],
  ['a user whose block was cleared to null', USER, 'ann@example.com', { ...user, blockedAt: null }],
  ['a login state with a code that confirms a change of address', LOGIN, 'ann@example.com', { ...login, sequences: [{ ...login.sequences[0]!, purpose: { kind: 'email_change', userId: 'u1', email: 'Ann@example.com' } }] }],
  ['a user with __proto__ in its data and text beyond Latin-1', USER, 'ann@example.com', { ...user, data: JSON.parse('{"__proto__":{"x":1},"name":"Zoë 😀 \\ud800"}') }],
  ['a login state', LOGIN, 'ann@example.com', login],
  ['a login state with a sequence of another shape', LOGIN, 'ann@example.com', { ...login, sequences: [{ tokenHash: 't' }] }],
  ['a login state whose sequence asked for a cross-device approval', LOGIN, 'ann@example.com', { ...login, sequences: [{ ...login.sequences[0]!, approval }] }],
  ['a login state whose approvals are paused', LOGIN, 'ann@example.com', { ...login, approvalsPausedAt: 5 }],
  ['a session', SESSION, 'h1', session],
  ['a session that says how it was signed in', SESSION, 'h1', { ...session, method: 'passkey' }],
  ['a session whose method is null', SESSION, 'h1', { ...session, method: null }],
  ['a passkey', PASSKEY, passkey.id, passkey],
  ['a passkey stored under another key', PASSKEY, 'other', passkey],
  ['a passkey with a field the store does not know', PASSKEY, passkey.id, { ...passkey, aaguid: 'x' }],
];

describe('records held compactly', () => {
  for (const [name, kind, key, record] of cases) {
    it(`reads back ${name} exactly`, () => {
      const copy = unpack<object>(kind, key, pack(kind, key, record));
      assert.deepEqual(copy, record);
      assert.notEqual(copy, record);
    });
  }

  it('holds a usual user in at most 55 % of its JSON text', () => {
    const text = pack(USER, user.emailKey, user);
    assert.ok(text.length <= 0.55 * JSON.stringify(user).length, `${text.length} of ${JSON.stringify(user).length} characters: ${text}`);
  });

  it('holds a blocked user compactly too, as an array one value longer', () => {
    const text = pack(USER, user.emailKey, { ...user, blockedAt: 5 });
    assert.ok(text.startsWith('[') && text.endsWith(',5]'), text);
  });

  it('holds a session compactly with its method and without it (sessions stored before passkeys)', () => {
    for (const record of [session, { ...session, method: 'code' }]) {
      const text = pack(SESSION, record.tokenHash, record);
      assert.ok(text.startsWith('['), text);
      assert.deepEqual(unpack(SESSION, record.tokenHash, text), record);
    }
  });

  it('holds a sequence compactly with its cross-device approval and without it, and a state with its approvals paused', () => {
    for (const [sequence, paused] of [[login.sequences[0]!, {}], [{ ...login.sequences[0]!, approval }, {}], [{ ...login.sequences[0]!, approval }, { approvalsPausedAt: 5 }]] as const) {
      const record = { ...login, sequences: [sequence], ...paused };
      const text = pack(LOGIN, login.emailKey, record);
      assert.ok(text.startsWith('[null,') && text.includes(',[["s1",'), text);
      assert.deepEqual(unpack(LOGIN, login.emailKey, text), record);
    }
  });

  it('holds a usual passkey as an array without its field names or its ID', () => {
    const text = pack(PASSKEY, passkey.id, passkey);
    assert.ok(text.startsWith('[null,'), text);
    assert.ok(text.length <= 0.8 * JSON.stringify(passkey).length, `${text.length} of ${JSON.stringify(passkey).length} characters: ${text}`);
  });

  it('writes the full records to its files, and reopens them exactly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'passwordless-record-text-'));
    const file = join(dir, 'data.json');
    try {
      const store = await openJsonStore(file);
      // (A user with a null address is no user: the snapshot's check refuses it, as it always did.)
      const users = cases.filter(([, kind, , record]) => kind === USER && typeof (record as UserRecord).email === 'string').map(([, , key, record], i) => ({ key: `${i}-${key}`, record: { ...(record as UserRecord), id: `id-${i}` } }));
      for (const { key, record } of users) await store.updateUser(key, () => ({ next: record, result: null }));
      await store.updateLogin(login.emailKey, () => ({ next: login, result: null }));
      await store.createSession(session);
      // A sweep that keeps everything compacts: the records go from the journal to the snapshot.
      await store.sweep(0, (state) => state);
      await store.close();
      const onDisk = JSON.parse(await readFile(file, 'utf8'));
      assert.deepEqual(onDisk.records.find((r: { op: string }) => r.op === 'session').value, session);
      const reopened = await openJsonStore(file);
      for (const { key, record } of users) assert.deepEqual(await reopened.findUserByEmailKey(key), record);
      assert.deepEqual(await reopened.findUserById('id-0'), users[0]!.record);
      assert.deepEqual(await reopened.findSession(session.tokenHash), session);
      assert.equal(await reopened.findLoginKeyByTokenHash('t'), login.emailKey);
      await reopened.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
