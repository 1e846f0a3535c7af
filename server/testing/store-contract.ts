/**
 * What the login service relies on from a Store, as one suite every adapter runs
 * (`describeStoreContract('JSON store', …)`, `describeStoreContract('Redis store', …)`).
 * Times are near the real clock, so a Redis adapter's expiries keep what the tests write.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../time/clock.ts';
import type { Change, LoginState, PasskeyRecord, SequenceRecord, SessionRecord, Store, UserRecord } from '../store/types.ts';

export interface StoreUnderTest {
  store: Store;
  /** Closes `store` and opens the same data again (a restart, or another instance). */
  reopen(): Promise<Store>;
  /** Closes whatever is open and removes what the test left behind. */
  cleanup(): Promise<void>;
  /** Everything the store holds as stored, as one text (files, keys and values, rows): what an erasure must leave no trace in. */
  rawText(): Promise<string>;
  /** Opens a second store on the same data (another connection: Redis, PostgreSQL); absent where one process owns it (JSON). The caller closes it. */
  another?(): Promise<Store>;
}

/** Opens an empty store whose notion of "now" (where it has one) is `clock`. */
export type OpenStoreUnderTest = (clock: ManualClock) => Promise<StoreUnderTest>;

const MINUTE = 60_000;

export function sequence(id: string, tokenHash: string, now: number, extra: Partial<SequenceRecord> = {}): SequenceRecord {
  return { id, codeHash: `code-${id}`, tokenHash, createdAt: now, expiresAt: now + 10 * MINUTE, usedAt: null, burntAt: null, locale: 'en', userData: {}, ...extra };
}

export function loginState(emailKey: string, now: number, sequences: SequenceRecord[] = []): LoginState {
  return { emailKey, address: emailKey, sequences, attempts: 0, lastRequestAt: now, requestTimes: [now], lastFailureAt: null };
}

export function userRecord(emailKey: string, id = `id-${emailKey}`): UserRecord {
  return { id, email: emailKey, emailKey, emailVerified: true, createdAt: '2026-01-01T00:00:00.000Z', lastLoginAt: null, data: {} };
}

/** A change that uses the state's first sequence at `now`: true for the one that did, false once it was used. */
export function useFirstSequence(now: number): Change<LoginState, boolean> {
  return (current) => {
    const first = current!.sequences[0]!;
    if (first.usedAt !== null) return { next: current, result: false };
    first.usedAt = now;
    return { next: current, result: true };
  };
}

export function passkeyRecord(id: string, userId: string, createdAt: number, extra: Partial<PasskeyRecord> = {}): PasskeyRecord {
  return { id, userId, publicKey: `pQECAyYgASFYI-${id}`, counter: 0, transports: ['internal', 'hybrid'], backedUp: true, name: 'Chrome on Mac', createdAt, lastUsedAt: null, ...extra };
}

const put = (store: Store, emailKey: string, next: LoginState | null) => store.updateLogin(emailKey, () => ({ next, result: null }));
const read = (store: Store, emailKey: string) => store.updateLogin(emailKey, (current) => ({ next: current, result: current }));

export function describeStoreContract(name: string, open: OpenStoreUnderTest): void {
  describe(`Store contract: ${name}`, () => {
    let clock: ManualClock;
    let subject: StoreUnderTest;
    let store: Store;
    let now: number;
    beforeEach(async () => {
      clock = new ManualClock(Date.now());
      now = clock.now();
      subject = await open(clock);
      store = subject.store;
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    describe('login states', () => {
      it('gives a change null for an address it has never seen, and stores nothing when the change returns null', async () => {
        assert.equal(await store.updateLogin('new@example.com', (current) => ({ next: null, result: current })), null);
        assert.equal(await read(store, 'new@example.com'), null);
      });

      it('returns the change’s result and gives the next change exactly what the last one stored', async () => {
        const state = loginState('a@example.com', now, [sequence('s1', 't1', now)]);
        assert.equal(await store.updateLogin('a@example.com', () => ({ next: state, result: 'stored' })), 'stored');
        assert.deepEqual(await read(store, 'a@example.com'), state);
      });

      it('round-trips every field: nulls, numbers, nested userData, non-ASCII and awkward keys', async () => {
        const userData = JSON.parse('{"__proto__": {"admin": true}, "constructor": "x", "name": "Zoë 张", "nested": {"list": [1, null, "two"]}, "big": 9007199254740991}');
        const state: LoginState = {
          emailKey: 'zoë@xn--fiqs8s.example',
          address: 'Zoë@例子.example',
          sequences: [sequence('s1', 't1', now, { usedAt: now, locale: 'zh-CN', userData }), sequence('s2', 't2', now + 1, { burntAt: now + 2 })],
          attempts: 3,
          lastRequestAt: now,
          requestTimes: [now - 2, now - 1, now],
          lastFailureAt: now - 5,
        };
        await put(store, state.emailKey, state);
        const back = await read(store, state.emailKey);
        assert.deepEqual(back, state);
        assert.equal(Object.hasOwn(back!.sequences[0]!.userData, '__proto__'), true, '__proto__ stays an own data key');
        assert.equal(({} as Record<string, unknown>).admin, undefined, 'no prototype was polluted');
      });

      it('round-trips the character U+0000 in a login state and a user’s data (JSON allows it; some stores do not)', async () => {
        const userData = { note: 'a\u0000b' };
        const state = loginState('nul@example.com', now, [sequence('s1', 't1', now, { userData })]);
        await put(store, 'nul@example.com', state);
        assert.deepEqual(await read(store, 'nul@example.com'), state);
        const user = { ...userRecord('nul@example.com'), data: userData };
        await store.updateUser('nul@example.com', () => ({ next: user, result: null }));
        assert.deepEqual(await store.findUserById(user.id), user);
      });

      it('deletes the state when a change returns null; a change that throws stores nothing', async () => {
        await put(store, 'a@example.com', loginState('a@example.com', now));
        await store.updateLogin('a@example.com', (current) => {
          current!.attempts = 99;
          return { next: null, result: null };
        });
        assert.equal(await read(store, 'a@example.com'), null, 'returning null deletes');
        await put(store, 'b@example.com', loginState('b@example.com', now));
        await assert.rejects(
          store.updateLogin('b@example.com', (current) => {
            current!.attempts = 99;
            throw new Error('change failed');
          }),
          /change failed/,
        );
        assert.equal((await read(store, 'b@example.com'))!.attempts, 0, 'a change that throws stores nothing');
      });

      it('keeps going after a change throws: later changes to the same key still run', async () => {
        const failing = store.updateLogin('a@example.com', () => {
          throw new Error('boom');
        });
        const later = put(store, 'a@example.com', loginState('a@example.com', now));
        await assert.rejects(failing, /boom/);
        await later;
        assert.equal((await read(store, 'a@example.com'))!.emailKey, 'a@example.com');
      });

      it('loses none of 200 concurrent changes to one address, and each change sees the one before', async () => {
        const seen = await Promise.all(
          Array.from({ length: 200 }, () =>
            store.updateLogin('race@example.com', (current) => {
              const next = current ?? loginState('race@example.com', now);
              const before = next.attempts;
              next.attempts += 1;
              return { next, result: before };
            }),
          ),
        );
        assert.equal((await read(store, 'race@example.com'))!.attempts, 200);
        assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 200 }, (_, i) => i), 'every change saw a distinct count');
      });

      it('single use: of 20 concurrent changes that consume one sequence, exactly one wins', async () => {
        await put(store, 'once@example.com', loginState('once@example.com', now, [sequence('s1', 't1', now)]));
        const wins = await Promise.all(
          Array.from({ length: 20 }, () =>
            store.updateLogin('once@example.com', useFirstSequence(now)),
          ),
        );
        assert.equal(wins.filter(Boolean).length, 1);
      });

      it('keeps addresses apart: a change to one never touches another', async () => {
        await Promise.all(['a', 'b', 'c'].map((k) => put(store, `${k}@example.com`, loginState(`${k}@example.com`, now))));
        await store.updateLogin('b@example.com', (current) => ({ next: { ...current!, attempts: 4 }, result: null }));
        assert.deepEqual(
          await Promise.all(['a', 'b', 'c'].map(async (k) => (await read(store, `${k}@example.com`))!.attempts)),
          [0, 4, 0],
        );
      });

      it('keeps what it stored across a reopen', async () => {
        const state = loginState('a@example.com', now, [sequence('s1', 't1', now)]);
        await put(store, 'a@example.com', state);
        await store.createSession({ tokenHash: 'h1', userId: 'u1', createdAt: now, expiresAt: now + MINUTE });
        await store.updateUser('a@example.com', () => ({ next: userRecord('a@example.com'), result: null }));
        store = await subject.reopen();
        assert.deepEqual(await read(store, 'a@example.com'), state);
        assert.equal(await store.findLoginKeyByTokenHash('t1'), 'a@example.com');
        assert.equal((await store.findSession('h1'))?.userId, 'u1');
        assert.equal((await store.findUserByEmailKey('a@example.com'))?.id, 'id-a@example.com');
      });
    });

    describe('link-token index', () => {
      it('finds the address of a sequence by its token hash, for each sequence in flight', async () => {
        await put(store, 'a@example.com', loginState('a@example.com', now, [sequence('s1', 'ta1', now)]));
        await store.updateLogin('a@example.com', (current) => ({ next: { ...current!, sequences: [...current!.sequences, sequence('s2', 'ta2', now)] }, result: null }));
        await put(store, 'b@example.com', loginState('b@example.com', now, [sequence('s1', 'tb1', now)]));
        assert.deepEqual(
          await Promise.all(['ta1', 'ta2', 'tb1', 'unknown'].map((t) => store.findLoginKeyByTokenHash(t))),
          ['a@example.com', 'a@example.com', 'b@example.com', null],
        );
      });

      it('forgets a token when its sequence leaves the state, and all of them when the state is deleted', async () => {
        await put(store, 'a@example.com', loginState('a@example.com', now, [sequence('s1', 't1', now), sequence('s2', 't2', now)]));
        await store.updateLogin('a@example.com', (current) => ({ next: { ...current!, sequences: current!.sequences.slice(1) }, result: null }));
        assert.deepEqual([await store.findLoginKeyByTokenHash('t1'), await store.findLoginKeyByTokenHash('t2')], [null, 'a@example.com']);
        await put(store, 'a@example.com', null);
        assert.equal(await store.findLoginKeyByTokenHash('t2'), null);
      });

      it('keeps a used or burnt sequence findable (a second click gets a proper answer)', async () => {
        await put(store, 'a@example.com', loginState('a@example.com', now, [sequence('s1', 't1', now, { usedAt: now }), sequence('s2', 't2', now, { burntAt: now })]));
        assert.deepEqual([await store.findLoginKeyByTokenHash('t1'), await store.findLoginKeyByTokenHash('t2')], ['a@example.com', 'a@example.com']);
      });
    });

    describe('users', () => {
      it('finds a user by id and by email key, and nothing for unknown ones', async () => {
        const user = { ...userRecord('u@example.com'), data: JSON.parse('{"__proto__": {"x": 1}, "plan": "pro"}') };
        assert.equal(await store.updateUser('u@example.com', (current) => ({ next: user, result: current })), null);
        assert.deepEqual(await store.findUserByEmailKey('u@example.com'), user);
        assert.deepEqual(await store.findUserById(user.id), user);
        assert.deepEqual([await store.findUserByEmailKey('other@example.com'), await store.findUserById('other')], [null, null]);
      });

      it('updates a user in place: the change sees the stored user and the id stays', async () => {
        await store.updateUser('u@example.com', () => ({ next: userRecord('u@example.com'), result: null }));
        const seen = await store.updateUser('u@example.com', (current) => ({ next: { ...current!, lastLoginAt: '2026-02-02T00:00:00.000Z' }, result: current!.id }));
        assert.equal(seen, 'id-u@example.com');
        assert.equal((await store.findUserById('id-u@example.com'))!.lastLoginAt, '2026-02-02T00:00:00.000Z');
        assert.equal((await store.findUserByEmailKey('u@example.com'))!.lastLoginAt, '2026-02-02T00:00:00.000Z');
      });

      it('creates exactly one user when 50 first logins of one address race', async () => {
        let created = 0;
        const ids = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            store.updateUser('new@example.com', (current) => {
              if (current) return { next: current, result: current.id };
              created += 1;
              return { next: userRecord('new@example.com', `id-${i}`), result: `id-${i}` };
            }),
          ),
        );
        assert.equal(new Set(ids).size, 1, 'every racer ended with the same user');
        assert.equal((await store.findUserByEmailKey('new@example.com'))!.id, ids[0]);
        assert.ok(created >= 1);
      });

      it('loses none of 200 concurrent changes to one user', async () => {
        await store.updateUser('u@example.com', () => ({ next: { ...userRecord('u@example.com'), data: { n: 0 } }, result: null }));
        await Promise.all(
          Array.from({ length: 200 }, () =>
            store.updateUser('u@example.com', (current) => ({ next: { ...current!, data: { n: (current!.data.n as number) + 1 } }, result: null })),
          ),
        );
        assert.equal((await store.findUserById('id-u@example.com'))!.data.n, 200);
      });

      it('keeps a second factor with the user, across a reopen, turns it off with null, and erases it with the user', async () => {
        const totp = { secret: 'v1.aXY.Y2lwaGVy.dGFn', enabledAt: now, recoveryCodes: ['hash-1', 'hash-2'] };
        await store.updateUser('u@example.com', () => ({ next: { ...userRecord('u@example.com'), totp }, result: null }));
        assert.deepEqual((await store.findUserById('id-u@example.com'))!.totp, totp);
        store = await subject.reopen();
        assert.deepEqual((await store.findUserByEmailKey('u@example.com'))!.totp, totp);
        // A used recovery code leaves the list; the rest stays as it was.
        await store.updateUser('u@example.com', (current) => ({ next: { ...current!, totp: { ...current!.totp!, recoveryCodes: ['hash-2'] } }, result: null }));
        assert.deepEqual((await store.findUserById('id-u@example.com'))!.totp!.recoveryCodes, ['hash-2']);
        await store.updateUser('u@example.com', (current) => ({ next: { ...current!, totp: null }, result: null }));
        assert.equal((await store.findUserById('id-u@example.com'))!.totp ?? null, null);
        await store.updateUser('u@example.com', (current) => ({ next: { ...current!, totp }, result: null }));
        await store.deleteUser('id-u@example.com');
        assert.doesNotMatch(await subject.rawText(), /Y2lwaGVy|hash-1/);
      });

      it('deletes a user from both lookups when the change returns null', async () => {
        await store.updateUser('u@example.com', () => ({ next: userRecord('u@example.com'), result: null }));
        await store.updateUser('u@example.com', () => ({ next: null, result: null }));
        assert.deepEqual([await store.findUserByEmailKey('u@example.com'), await store.findUserById('id-u@example.com')], [null, null]);
      });
    });

    describe('sessions', () => {
      const session = (tokenHash: string, expiresAt: number): SessionRecord => ({ tokenHash, userId: 'u1', createdAt: now, expiresAt });

      it('finds a session by its token hash, exactly as created', async () => {
        await store.createSession(session('h1', now + MINUTE));
        assert.deepEqual(await store.findSession('h1'), session('h1', now + MINUTE));
        assert.equal(await store.findSession('h2'), null);
      });

      it('keeps how a session was signed in, and gives back none for a session stored without it', async () => {
        const methods = ['code', 'link', 'passkey'] as const;
        for (const method of methods) await store.createSession({ ...session(`h-${method}`, now + MINUTE), method });
        await store.createSession(session('h-before', now + MINUTE));
        for (const method of methods) assert.deepEqual(await store.findSession(`h-${method}`), { ...session(`h-${method}`, now + MINUTE), method });
        const before = await store.findSession('h-before');
        assert.deepEqual(before, session('h-before', now + MINUTE));
        assert.equal(Object.hasOwn(before!, 'method'), false);
        store = await subject.reopen();
        assert.deepEqual(await store.findSession('h-passkey'), { ...session('h-passkey', now + MINUTE), method: 'passkey' });
        assert.deepEqual(await store.findSession('h-before'), session('h-before', now + MINUTE));
      });

      it('deletes a session once: true, then false, then it is gone', async () => {
        await store.createSession(session('h1', now + MINUTE));
        await store.createSession(session('h2', now + MINUTE));
        assert.equal(await store.deleteSession('h1'), true);
        assert.equal(await store.deleteSession('h1'), false);
        assert.equal(await store.findSession('h1'), null);
        assert.equal((await store.findSession('h2'))?.tokenHash, 'h2', 'the other session stays');
      });

      describe('revoking all of a user’s sessions', () => {
        const of = (userId: string, tokenHash: string): SessionRecord => ({ tokenHash, userId, createdAt: now, expiresAt: now + 60 * MINUTE });
        const found = async (s: Store, hashes: string[]) => (await Promise.all(hashes.map((h) => s.findSession(h)))).map((x) => x?.tokenHash ?? null);

        it('ends every session of that user and no other user’s, and says how many it ended', async () => {
          await Promise.all([of('u1', 'a1'), of('u1', 'a2'), of('u1', 'a3'), of('u2', 'b1')].map((x) => store.createSession(x)));
          assert.equal(await store.deleteUserSessions('u1'), 3);
          assert.deepEqual(await found(store, ['a1', 'a2', 'a3', 'b1']), [null, null, null, 'b1']);
          assert.equal(await store.deleteUserSessions('u1'), 0, 'nothing is left to end');
          assert.equal(await store.deleteUserSessions('nobody'), 0);
          assert.equal(await store.deleteUserSessions('u2'), 1);
        });

        it('lists the live sessions of one user, oldest first, and none of another user or already ended', async () => {
          await store.createSession({ ...of('u1', 'a2'), createdAt: now - MINUTE });
          await Promise.all([of('u1', 'a1'), of('u1', 'a3'), of('u2', 'b1')].map((x) => store.createSession(x)));
          await store.deleteSession('a3');
          assert.deepEqual((await store.listUserSessions('u1')).map((x) => x.tokenHash), ['a2', 'a1']);
          assert.deepEqual(await store.listUserSessions('u2'), [of('u2', 'b1')]);
          assert.deepEqual(await store.listUserSessions('nobody'), []);
          await store.deleteUserSessions('u1');
          assert.deepEqual(await store.listUserSessions('u1'), []);
        });

        it('counts only the sessions still there: one ended on its own is not ended twice', async () => {
          await Promise.all([of('u1', 'a1'), of('u1', 'a2')].map((x) => store.createSession(x)));
          await store.deleteSession('a1');
          assert.equal(await store.deleteUserSessions('u1'), 1);
          await store.createSession(of('u1', 'a3'));
          assert.equal(await store.deleteUserSessions('u1'), 1, 'a session created after a revoke is found by the next one');
        });

        it('finds sessions written before a reopen (snapshot and journal), and a revoke survives the reopen', async () => {
          await store.createSession(of('u1', 'a1'));
          // The JSON store writes a snapshot here: a1 comes back from it, a2 and b1 from the journal.
          await store.sweep(now, (state) => state);
          await Promise.all([of('u1', 'a2'), of('u2', 'b1'), of('u2', 'b2')].map((x) => store.createSession(x)));
          store = await subject.reopen();
          assert.equal(await store.deleteUserSessions('u1'), 2);
          assert.equal(await store.deleteUserSessions('u2'), 2);
          await store.createSession(of('u2', 'b3'));
          store = await subject.reopen();
          assert.deepEqual(await found(store, ['a1', 'a2', 'b1', 'b2', 'b3']), [null, null, null, null, 'b3']);
          assert.equal(await store.deleteUserSessions('u2'), 1);
        });

        it('leaves no session of the user behind when sessions are created while revokes run', async () => {
          const hashes = Array.from({ length: 30 }, (_, i) => `race-${i}`);
          // Creations and three revokes, interleaved: each creation lands before or after each revoke.
          const revokes: Promise<number>[] = [];
          const creations = hashes.map((h, i) => {
            const created = store.createSession(of('u1', h));
            if (i % 10 === 5) revokes.push(store.deleteUserSessions('u1'));
            return created;
          });
          await store.createSession(of('u2', 'other'));
          await Promise.all(creations);
          const ended = (await Promise.all(revokes)).reduce((a, b) => a + b, 0);
          const left = (await found(store, hashes)).filter((h) => h !== null).length;
          assert.equal(ended + left, hashes.length, 'each session was ended once or is still there');
          assert.equal(await store.deleteUserSessions('u1'), left, 'every session still there is in the user’s index');
          assert.deepEqual((await found(store, hashes)).filter((h) => h !== null), []);
          assert.equal((await store.findSession('other'))?.userId, 'u2');
        });
      });

      it('serves no session past its expiry once housekeeping ran, and keeps the live ones', async () => {
        await store.createSession(session('short', now + MINUTE));
        await store.createSession(session('long', now + 60 * MINUTE));
        clock.advance(2 * MINUTE);
        await store.sweep(clock.now(), (state) => state);
        assert.equal(await store.findSession('short'), null);
        assert.equal((await store.findSession('long'))?.tokenHash, 'long');
      });
    });

    describe('passkeys', () => {
      // PostgreSQL refuses a passkey of a user it does not hold (a foreign key): the users come first.
      const withUsers = async (...ids: string[]) => {
        for (const id of ids) await store.updateUser(`${id}@example.com`, () => ({ next: userRecord(`${id}@example.com`, id), result: null }));
      };
      const ids = async (s: Store, userId: string) => (await s.listPasskeys(userId)).map((p) => p.id);

      it('finds a passkey by its credential ID exactly as added, and lists a user’s passkeys oldest first', async () => {
        await withUsers('u1', 'u2');
        const newer = passkeyRecord('cred-2', 'u1', now + 1_000, { transports: [], backedUp: false, name: 'YubiKey 5 «Zoë»', counter: 4_294_967_295 });
        const older = passkeyRecord('cred-1', 'u1', now, { lastUsedAt: now + 5 });
        assert.equal(await store.addPasskey(newer), true);
        assert.equal(await store.addPasskey(older), true);
        assert.equal(await store.addPasskey(passkeyRecord('cred-3', 'u2', now)), true);
        assert.deepEqual(await store.findPasskey('cred-2'), newer);
        assert.deepEqual(await store.findPasskey('cred-1'), older);
        assert.deepEqual(await store.listPasskeys('u1'), [older, newer]);
        assert.deepEqual(await ids(store, 'u2'), ['cred-3']);
        assert.deepEqual([await store.findPasskey('unknown'), await ids(store, 'nobody')], [null, []]);
      });

      it('refuses a credential ID that exists, for the same user and for another, and keeps the first', async () => {
        await withUsers('u1', 'u2');
        const first = passkeyRecord('cred-1', 'u1', now);
        assert.equal(await store.addPasskey(first), true);
        assert.equal(await store.addPasskey(passkeyRecord('cred-1', 'u1', now + 1, { publicKey: 'other-key' })), false);
        assert.equal(await store.addPasskey(passkeyRecord('cred-1', 'u2', now + 1, { publicKey: 'attacker-key' })), false);
        assert.deepEqual(await store.findPasskey('cred-1'), first);
        assert.deepEqual([await ids(store, 'u1'), await ids(store, 'u2')], [['cred-1'], []]);
      });

      it('updates a passkey (counter and last use, a rename) and removes it with null; the list follows', async () => {
        await withUsers('u1');
        await store.addPasskey(passkeyRecord('cred-1', 'u1', now));
        await store.addPasskey(passkeyRecord('cred-2', 'u1', now + 1));
        const seen = await store.updatePasskey('cred-1', (current) => ({ next: { ...current!, counter: 7, lastUsedAt: now + 60_000 }, result: current!.counter }));
        assert.equal(seen, 0, 'the change saw the stored counter');
        await store.updatePasskey('cred-1', (current) => ({ next: { ...current!, name: 'Work laptop' }, result: null }));
        assert.deepEqual(await store.findPasskey('cred-1'), passkeyRecord('cred-1', 'u1', now, { counter: 7, lastUsedAt: now + 60_000, name: 'Work laptop' }));
        assert.equal(await store.updatePasskey('cred-1', (current) => ({ next: null, result: current!.name })), 'Work laptop');
        assert.equal(await store.findPasskey('cred-1'), null);
        assert.deepEqual(await ids(store, 'u1'), ['cred-2']);
        assert.equal(await store.updatePasskey('cred-1', (current) => ({ next: null, result: current })), null, 'a removed passkey is seen as null');
        assert.equal(await store.addPasskey(passkeyRecord('cred-1', 'u1', now + 2)), true, 'its ID is free again');
        assert.deepEqual(await ids(store, 'u1'), ['cred-2', 'cred-1']);
      });

      it('loses none of 20 concurrent counter updates to one passkey, and a change that throws stores nothing', async () => {
        await withUsers('u1');
        await store.addPasskey(passkeyRecord('cred-1', 'u1', now));
        await Promise.all(Array.from({ length: 20 }, () => store.updatePasskey('cred-1', (current) => ({ next: { ...current!, counter: current!.counter + 1 }, result: null }))));
        await assert.rejects(
          store.updatePasskey('cred-1', (current) => {
            current!.counter = 99;
            throw new Error('change failed');
          }),
          /change failed/,
        );
        assert.equal((await store.findPasskey('cred-1'))!.counter, 20);
      });

      it('keeps passkeys and claims across a reopen (snapshot and journal), removals included', async () => {
        await withUsers('u1');
        await store.addPasskey(passkeyRecord('cred-1', 'u1', now));
        await store.addPasskey(passkeyRecord('cred-2', 'u1', now + 1));
        await store.claimOnce('challenge-1', now + 10 * MINUTE);
        // The JSON store writes a snapshot here: the first ones come back from it, the rest from the journal.
        await store.sweep(now, (state) => state);
        await store.addPasskey(passkeyRecord('cred-3', 'u1', now + 2));
        await store.updatePasskey('cred-1', (current) => ({ next: { ...current!, counter: 3, name: 'Renamed' }, result: null }));
        await store.updatePasskey('cred-2', () => ({ next: null, result: null }));
        await store.claimOnce('challenge-2', now + 10 * MINUTE);
        store = await subject.reopen();
        assert.deepEqual(await store.listPasskeys('u1'), [passkeyRecord('cred-1', 'u1', now, { counter: 3, name: 'Renamed' }), passkeyRecord('cred-3', 'u1', now + 2)]);
        assert.equal(await store.findPasskey('cred-2'), null);
        assert.deepEqual([await store.claimOnce('challenge-1', now + 10 * MINUTE), await store.claimOnce('challenge-2', now + 10 * MINUTE)], [false, false]);
        store = await subject.reopen();
        assert.deepEqual(await ids(store, 'u1'), ['cred-1', 'cred-3'], 'and again after a reopen with nothing new');
      });
    });

    describe('one-time claims', () => {
      it('claims a key once: true, then false; another key is its own', async () => {
        assert.equal(await store.claimOnce('challenge:a', now + MINUTE), true);
        assert.equal(await store.claimOnce('challenge:a', now + MINUTE), false);
        assert.equal(await store.claimOnce('challenge:a', now + 5 * MINUTE), false, 'a later expiry does not reclaim it');
        assert.equal(await store.claimOnce('challenge:b', now + MINUTE), true);
      });

      it('gives exactly one true of 20 concurrent claims of one key', async () => {
        const answers = await Promise.all(Array.from({ length: 20 }, () => store.claimOnce('race', now + MINUTE)));
        assert.equal(answers.filter(Boolean).length, 1);
      });

      it('forgets a claim past its expiry once housekeeping ran, and keeps the live ones', async () => {
        // Already past at the real clock too: Redis forgets it by itself (its clock is the real one).
        assert.equal(await store.claimOnce('gone', now - 1), true);
        assert.equal(await store.claimOnce('kept', now + 60 * MINUTE), true);
        await store.sweep(now, (state) => state);
        assert.equal(await store.claimOnce('gone', now + MINUTE), true, 'the expired claim no longer counts');
        assert.equal(await store.claimOnce('kept', now + MINUTE), false);
        assert.equal(await store.claimOnce('gone', now + MINUTE), false, 'and the new claim does');
      });

      it('answers a claim with an expiry already past as a read: whether the key is held, holding nothing (the undo epoch\'s probe)', async () => {
        assert.equal(await store.claimOnce('epoch-probe', 1), true, 'not held');
        assert.equal(await store.claimOnce('epoch-probe', now + MINUTE), true, 'the probe held nothing');
        assert.equal(await store.claimOnce('epoch-probe', 1), false, 'held');
        assert.equal(await store.claimOnce('epoch-probe', now + MINUTE), false, 'and the probe did not release it');
      });

      it('claims keys that are special in JavaScript like any other', async () => {
        for (const name of ['__proto__', 'constructor', 'toString']) {
          assert.equal(await store.claimOnce(name, now + MINUTE), true, name);
          assert.equal(await store.claimOnce(name, now + MINUTE), false, name);
        }
      });
    });

    describe('names that are special in JavaScript', () => {
      const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype'];

      it('finds nothing under them in an empty store', async () => {
        for (const name of names) {
          assert.equal(await store.findLoginKeyByTokenHash(name), null, name);
          assert.equal(await store.findUserByEmailKey(name), null, name);
          assert.equal(await store.findUserById(name), null, name);
          assert.equal(await store.findSession(name), null, name);
          assert.equal(await read(store, name), null, name);
        }
      });

      it('writing under them pollutes no prototype and disturbs no other record', async () => {
        const other = loginState('plain@example.com', now, [sequence('s1', 'plain-token', now)]);
        await put(store, 'plain@example.com', other);
        await store.updateUser('plain@example.com', () => ({ next: userRecord('plain@example.com'), result: null }));
        await store.createSession({ tokenHash: 'plain', userId: 'id-plain@example.com', createdAt: now, expiresAt: now + MINUTE });
        for (const name of names) {
          await put(store, name, loginState(name, now, [sequence('s1', `${name}-token`, now)]));
          await store.updateUser(name, () => ({ next: userRecord(name, name), result: null }));
          await store.createSession({ tokenHash: name, userId: name, createdAt: now, expiresAt: now + MINUTE });
        }
        assert.deepEqual(await read(store, 'plain@example.com'), other);
        assert.equal(await store.findLoginKeyByTokenHash('plain-token'), 'plain@example.com');
        assert.equal((await store.findUserByEmailKey('plain@example.com'))?.id, 'id-plain@example.com');
        assert.equal((await store.findSession('plain'))?.userId, 'id-plain@example.com');
        for (const probe of ['emailKey', 'sequences', 'id', 'userId', 'email', 'tokenHash']) {
          assert.equal(await store.findUserById(probe), null, probe);
          assert.equal(await store.findUserByEmailKey(probe), null, probe);
          assert.equal(await store.findSession(probe), null, probe);
          assert.equal(await store.findLoginKeyByTokenHash(probe), null, probe);
        }
        assert.equal(Object.getPrototypeOf({}), Object.prototype);
        assert.deepEqual(Object.keys(Object.prototype), [], 'Object.prototype gained nothing');
      });
    });
  });
}
