/**
 * Erasing and listing users (Store.deleteUser, listUsers, countUsers), the same in every store:
 * run beside `describeStoreContract` for each adapter, on the same stores. The erasure is also checked in the raw
 * storage (`StoreUnderTest.rawText`: the JSON store's files, the Redis keys and values, the
 * PostgreSQL rows): no address, hash or id of the erased user is left anywhere.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../time/clock.ts';
import type { Store, UserRecord } from '../store/types.ts';
import { InvalidUserListQuery, type UserListQuery, type UserSort } from '../store/user-list.ts';
import { loginState, passkeyRecord, sequence, userRecord, type OpenStoreUnderTest, type StoreUnderTest } from './store-contract.ts';

const MINUTE = 60_000;

/** A user created at `createdAt` (minutes after a fixed day) and last signed in at `signedIn` minutes, or never. */
function listed(emailKey: string, createdAt: number, signedIn: number | null, email = emailKey): UserRecord {
  const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1) + minutes * MINUTE).toISOString();
  return { ...userRecord(emailKey), email, createdAt: at(createdAt), lastLoginAt: signedIn === null ? null : at(signedIn) };
}

/** Every page of a listing from the first to the last; the ids in order, and the page sizes. */
async function allPages(store: Store, query: Omit<UserListQuery, 'after'>): Promise<{ ids: string[]; sizes: number[] }> {
  const ids: string[] = [];
  const sizes: number[] = [];
  let after: string | undefined;
  for (let page = 0; page < 100; page++) {
    const { users, next } = await store.listUsers({ ...query, ...(after ? { after } : {}) });
    ids.push(...users.map((user) => user.id));
    sizes.push(users.length);
    if (next === null) return { ids, sizes };
    after = next;
  }
  throw new Error('the listing never ended');
}

export function describeUserAccountsContract(name: string, open: OpenStoreUnderTest): void {
  describe(`User accounts contract: ${name}`, () => {
    let under: StoreUnderTest;
    let current: { store: Store; now: number; under: StoreUnderTest; reopen(): Promise<Store> };
    beforeEach(async () => {
      const clock = new ManualClock(Date.now());
      under = await open(clock);
      current = { store: under.store, now: clock.now(), under, reopen: () => under.reopen() };
    });
    afterEach(async () => {
      await under.cleanup();
    });
    userAccountCases(() => current);
  });
}

function userAccountCases(subject: () => { store: Store; now: number; under: StoreUnderTest; reopen(): Promise<Store> }): void {
  const put = (store: Store, user: UserRecord) => store.updateUser(user.emailKey, () => ({ next: user, result: null }));

  /** Ann with 3 sessions, 2 passkeys and a login state with two links in flight; Bob with one of each. */
  async function annAndBob(store: Store, now: number) {
    const ann = { ...userRecord('erased.person@example.com', 'user-ann-7f3a'), email: 'Erased.Person@example.com' };
    const bob = userRecord('kept.person@example.com', 'user-bob-9c1d');
    for (const user of [ann, bob]) await put(store, user);
    await store.updateLogin(ann.emailKey, () => ({ next: { ...loginState(ann.emailKey, now, [sequence('ann-s1', 'ann-link-1', now), sequence('ann-s2', 'ann-link-2', now)]), address: ann.email }, result: null }));
    await store.updateLogin(bob.emailKey, () => ({ next: loginState(bob.emailKey, now, [sequence('bob-s1', 'bob-link-1', now)]), result: null }));
    for (const hash of ['ann-session-1', 'ann-session-2', 'ann-session-3']) await store.createSession({ tokenHash: hash, userId: ann.id, createdAt: now, expiresAt: now + 60 * MINUTE, method: 'code' });
    await store.createSession({ tokenHash: 'bob-session-1', userId: bob.id, createdAt: now, expiresAt: now + 60 * MINUTE, method: 'link' });
    await store.addPasskey(passkeyRecord('ann-cred-1', ann.id, now));
    await store.addPasskey(passkeyRecord('ann-cred-2', ann.id, now + 1));
    await store.addPasskey(passkeyRecord('bob-cred-1', bob.id, now));
    return { ann, bob };
  }

  /** What of Ann a store could still hold: her address, her id, and every hash and credential of hers. */
  const traces = ['erased.person', 'user-ann-7f3a', 'ann-link-1', 'ann-link-2', 'code-ann-s1', 'code-ann-s2', 'ann-session-1', 'ann-session-2', 'ann-session-3', 'ann-cred-1', 'ann-cred-2'];

  describe('erasing a user', () => {
    it('erases a user with 3 sessions, 2 passkeys and a live login state: all gone, the counts right, another user untouched', async () => {
      let { store } = subject();
      const { now } = subject();
      const { ann, bob } = await annAndBob(store, now);
      assert.equal(await store.countUsers(), 2);
      assert.deepEqual(await store.deleteUser(ann.id), { sessions: 3, passkeys: 2 });
      const annGone = async (s: Store) => {
        assert.equal(await s.findUserById(ann.id), null);
        assert.equal(await s.findUserByEmailKey(ann.emailKey), null);
        for (const hash of ['ann-session-1', 'ann-session-2', 'ann-session-3']) assert.equal(await s.findSession(hash), null, hash);
        for (const id of ['ann-cred-1', 'ann-cred-2']) assert.equal(await s.findPasskey(id), null, id);
        assert.deepEqual(await s.listPasskeys(ann.id), []);
        for (const hash of ['ann-link-1', 'ann-link-2']) assert.equal(await s.findLoginKeyByTokenHash(hash), null, hash);
        assert.equal(await s.updateLogin(ann.emailKey, (current) => ({ next: current, result: current })), null);
        assert.equal(await s.countUsers(), 1);
        assert.deepEqual((await s.listUsers({ limit: 10, sort: 'created' })).users.map((u) => u.id), [bob.id]);
        // Bob, untouched.
        assert.deepEqual(await s.findUserById(bob.id), bob);
        assert.equal((await s.findSession('bob-session-1'))?.userId, bob.id);
        assert.deepEqual((await s.listPasskeys(bob.id)).map((p) => p.id), ['bob-cred-1']);
        assert.equal(await s.findLoginKeyByTokenHash('bob-link-1'), bob.emailKey);
      };
      await annGone(store);
      store = await subject().reopen();
      await annGone(store);
    });

    it('erases twice: the second call, and a call for an id never seen, answer null and change nothing', async () => {
      const { store, now } = subject();
      const { ann, bob } = await annAndBob(store, now);
      assert.deepEqual(await store.deleteUser(ann.id), { sessions: 3, passkeys: 2 });
      assert.equal(await store.deleteUser(ann.id), null);
      assert.equal(await store.deleteUser('no-such-user'), null);
      assert.equal(await store.countUsers(), 1);
      assert.deepEqual(await store.findUserById(bob.id), bob);
    });

    it('lets the address sign up again afterwards, as a new user with a new id and nothing of the old one', async () => {
      let { store } = subject();
      const { now } = subject();
      const { ann } = await annAndBob(store, now);
      await store.deleteUser(ann.id);
      const seen = await store.updateUser(ann.emailKey, (current) => ({ next: current ?? { ...ann, id: 'user-ann-new' }, result: current }));
      assert.equal(seen, null, 'the sign-up finds no user for the address');
      await store.updateLogin(ann.emailKey, (current) => ({ next: loginState(ann.emailKey, now, [sequence('new-s1', 'new-link-1', now)]), result: current }));
      assert.equal((await store.findUserByEmailKey(ann.emailKey))?.id, 'user-ann-new');
      assert.deepEqual(await store.listPasskeys('user-ann-new'), []);
      assert.equal(await store.findLoginKeyByTokenHash('new-link-1'), ann.emailKey);
      assert.equal(await store.findLoginKeyByTokenHash('ann-link-1'), null);
      store = await subject().reopen();
      assert.equal((await store.findUserByEmailKey(ann.emailKey))?.id, 'user-ann-new', 'and so after a reopen');
      assert.equal(await store.findUserById(ann.id), null);
      assert.equal(await store.countUsers(), 2);
    });

    it('is not undone by sign-ins racing it: a change that finds no user writes none, and the user stays gone', async () => {
      const { store, now } = subject();
      const { ann, bob } = await annAndBob(store, now);
      // As a sign-in writes the last login: only over a user that is still there.
      const signIn = (i: number) => store.updateUser(ann.emailKey, (current) => (current ? { next: { ...current, lastLoginAt: new Date(now + i).toISOString() }, result: true } : { next: null, result: false }));
      const [erased] = await Promise.all([store.deleteUser(ann.id), ...Array.from({ length: 20 }, (_, i) => signIn(i))]);
      assert.ok(erased);
      assert.equal(await store.findUserById(ann.id), null);
      assert.equal(await store.findUserByEmailKey(ann.emailKey), null);
      assert.deepEqual((await store.listUsers({ limit: 10, sort: 'last_sign_in' })).users.map((u) => u.id), [bob.id]);
      assert.equal(await store.countUsers(), 1);
      assert.equal(await signIn(99), false, 'a later sign-in finds no user');
    });

    it('leaves no address, hash, credential or id of the erased user in the raw storage, and the other user whole', async () => {
      const { store, now, under } = subject();
      const { ann } = await annAndBob(store, now);
      const before = (await under.rawText()).toLowerCase();
      // The dump can fail this test: everything of Ann is there before.
      for (const trace of traces) assert.ok(before.includes(trace), `before: ${trace}`);
      await store.deleteUser(ann.id);
      const afterwards = (await under.rawText()).toLowerCase();
      for (const trace of traces) assert.ok(!afterwards.includes(trace), `left behind: ${trace}`);
      for (const kept of ['kept.person@example.com', 'user-bob-9c1d', 'bob-link-1', 'bob-session-1', 'bob-cred-1']) assert.ok(afterwards.includes(kept), `Bob's ${kept}`);
    });
  });

  describe('listing users', () => {
    it('pages through every user newest first by creation, the cursor to the end, and counts them', async () => {
      const { store } = subject();
      for (let i = 0; i < 7; i++) await put(store, listed(`u${i}@example.com`, i * 10, null));
      const { ids, sizes } = await allPages(store, { limit: 3, sort: 'created' });
      assert.deepEqual(ids, [6, 5, 4, 3, 2, 1, 0].map((i) => `id-u${i}@example.com`));
      assert.deepEqual(sizes, [3, 3, 1]);
      assert.equal(await store.countUsers(), 7);
      const exact = await store.listUsers({ limit: 7, sort: 'created' });
      assert.equal(exact.users.length, 7);
      assert.equal(exact.next, null, 'a page that holds the last user has no next');
      assert.deepEqual(await store.listUsers({ limit: 5, sort: 'created' }).then((p) => p.users[0]), listed('u6@example.com', 60, null), 'whole records');
    });

    it('sorts by last sign-in, newest first, users who never signed in last; a sign-in moves a user to the top', async () => {
      let { store } = subject();
      await put(store, listed('a@example.com', 0, 100));
      await put(store, listed('b@example.com', 1, null));
      await put(store, listed('c@example.com', 2, 300));
      await put(store, listed('d@example.com', 3, 200));
      await put(store, listed('e@example.com', 4, null));
      const order = async () => (await allPages(store, { limit: 2, sort: 'last_sign_in' })).ids.map((id) => id.slice(3, 4));
      const [first, second, third] = await order();
      assert.deepEqual([first, second, third], ['c', 'd', 'a']);
      assert.deepEqual((await order()).slice(3).sort(), ['b', 'e'], 'never signed in: last');
      await store.updateUser('b@example.com', (current) => ({ next: { ...current!, lastLoginAt: listed('x', 0, 400).lastLoginAt }, result: null }));
      await store.updateUser('c@example.com', (current) => ({ next: { ...current!, lastLoginAt: listed('x', 0, 50).lastLoginAt }, result: null }));
      assert.deepEqual((await order()).slice(0, 4), ['b', 'd', 'a', 'c']);
      assert.deepEqual((await allPages(store, { limit: 10, sort: 'created' })).ids.map((id) => id.slice(3, 4)), ['e', 'd', 'c', 'b', 'a'], 'creation order unchanged');
      store = await subject().reopen();
      assert.deepEqual((await order()).slice(0, 4), ['b', 'd', 'a', 'c'], 'and so after a reopen');
    });

    it('searches a case-insensitive substring of the address, paging within the matches', async () => {
      const { store } = subject();
      await put(store, listed('ann@shop.example', 0, null, 'Ann@Shop.example'));
      await put(store, listed('bob@other.example', 1, null));
      await put(store, listed('cid@shop.example', 2, null));
      await put(store, listed('dan@shopping.example', 3, null));
      await put(store, listed('eve@example.org', 4, null));
      const search = async (text: string, limit = 10) => (await allPages(store, { limit, sort: 'created', search: text })).ids.map((id) => id.slice(3, 6));
      assert.deepEqual(await search('SHOP'), ['dan', 'cid', 'ann']);
      assert.deepEqual(await search('@shop.', 1), ['cid', 'ann']);
      assert.deepEqual(await search('ann@shop'), ['ann'], 'the address as typed, in any case');
      assert.deepEqual(await search('nobody'), []);
      assert.deepEqual(await search('%'), [], 'no wildcard: a percent sign is a character');
      assert.deepEqual(await search('_'), []);
    });

    it('puts every user on exactly one page when many share a time', async () => {
      const { store } = subject();
      for (let i = 0; i < 9; i++) await put(store, listed(`same${i}@example.com`, 5, 5));
      for (const sort of ['created', 'last_sign_in'] satisfies UserSort[]) {
        const { ids, sizes } = await allPages(store, { limit: 2, sort });
        assert.equal(ids.length, 9, sort);
        assert.equal(new Set(ids).size, 9, `${sort}: none twice`);
        assert.deepEqual(sizes, [2, 2, 2, 2, 1]);
      }
    });

    it('goes on from a cursor whose user was erased in between, skipping no one', async () => {
      const { store } = subject();
      for (let i = 0; i < 5; i++) await put(store, listed(`p${i}@example.com`, i, null));
      const first = await store.listUsers({ limit: 2, sort: 'created' });
      assert.deepEqual(first.users.map((u) => u.id), ['id-p4@example.com', 'id-p3@example.com']);
      await store.deleteUser('id-p3@example.com');
      const second = await store.listUsers({ limit: 2, sort: 'created', after: first.next! });
      assert.deepEqual(second.users.map((u) => u.id), ['id-p2@example.com', 'id-p1@example.com']);
    });

    it('refuses a bad limit, sort, search or cursor with InvalidUserListQuery, never a crash, and lists fine after', async () => {
      const { store } = subject();
      await put(store, listed('only@example.com', 0, null));
      const created = await store.listUsers({ limit: 1, sort: 'created' });
      await put(store, listed('second@example.com', 1, null));
      const page = await store.listUsers({ limit: 1, sort: 'created' });
      assert.ok(page.next);
      const bad: UserListQuery[] = [
        { limit: 0, sort: 'created' },
        { limit: 101, sort: 'created' },
        { limit: 1.5, sort: 'created' },
        { limit: Number.NaN, sort: 'created' },
        { limit: 10, sort: 'name' as UserSort },
        { limit: 10, sort: 'created', search: 'x'.repeat(255) },
        { limit: 10, sort: 'created', after: 'not a cursor' },
        { limit: 10, sort: 'created', after: '' },
        { limit: 10, sort: 'created', after: Buffer.from('{"a":1}').toString('base64url') },
        { limit: 10, sort: 'created', after: Buffer.from(JSON.stringify(['created', 'yesterday', 'id'])).toString('base64url') },
        { limit: 10, sort: 'created', after: Buffer.from(JSON.stringify(['created', null, 'id'])).toString('base64url') },
        { limit: 10, sort: 'last_sign_in', after: page.next! },
        { limit: 10, sort: 'created', after: 'x'.repeat(2_000) },
      ];
      for (const query of bad) await assert.rejects(store.listUsers(query), InvalidUserListQuery, JSON.stringify(query).slice(0, 120));
      assert.equal(created.next, null);
      assert.deepEqual((await store.listUsers({ limit: 10, sort: 'created', after: page.next! })).users.map((u) => u.id), ['id-only@example.com']);
      assert.deepEqual(await store.listUsers({ limit: 100, sort: 'last_sign_in' }).then((p) => p.users.length), 2, 'the largest page');
    });

    it('lists nothing, with no next, in an empty store', async () => {
      const { store } = subject();
      assert.deepEqual(await store.listUsers({ limit: 10, sort: 'created' }), { users: [], next: null });
      assert.deepEqual(await store.listUsers({ limit: 10, sort: 'last_sign_in', search: 'a' }), { users: [], next: null });
      assert.equal(await store.countUsers(), 0);
    });
  });

  describe('changing a user\'s address (changeUserEmail)', () => {
    it('moves the user to the new key in one step: found by the new address and the id, not by the old; sessions and passkeys follow; it survives a reopen', async () => {
      let { store } = subject();
      const { now } = subject();
      const { ann, bob } = await annAndBob(store, now);
      const moved = await store.changeUserEmail(ann.id, { email: 'Ann.New@example.com', emailKey: 'ann.new@example.com' });
      assert.deepEqual(moved, { ...ann, email: 'Ann.New@example.com', emailKey: 'ann.new@example.com' });
      for (const reopened of [false, true]) {
        if (reopened) store = await subject().reopen();
        assert.equal(await store.findUserByEmailKey(ann.emailKey), null, 'the old address names no user');
        assert.deepEqual(await store.findUserByEmailKey('ann.new@example.com'), moved);
        assert.deepEqual(await store.findUserById(ann.id), moved);
        assert.equal((await store.listUserSessions(ann.id)).length, 3);
        assert.equal((await store.listPasskeys(ann.id)).length, 2);
        assert.deepEqual(await store.findUserById(bob.id), bob, 'another user untouched');
        assert.equal(await store.countUsers(), 2);
        assert.deepEqual((await store.listUsers({ limit: 10, sort: 'created', search: 'ann.new' })).users.map((u) => u.id), [ann.id]);
      }
      // The old address is free: a new sign-up there is another user.
      await put(store, userRecord(ann.emailKey, 'user-new-at-old'));
      assert.equal((await store.findUserByEmailKey(ann.emailKey))?.id, 'user-new-at-old');
      assert.equal((await store.findUserById(ann.id))?.emailKey, 'ann.new@example.com');
    });

    it('answers taken, and changes nothing, when the new address is another user\'s; null for an unknown id', async () => {
      const { store, now } = subject();
      const { ann, bob } = await annAndBob(store, now);
      assert.equal(await store.changeUserEmail(ann.id, { email: bob.email, emailKey: bob.emailKey }), 'taken');
      assert.deepEqual(await store.findUserById(ann.id), ann);
      assert.deepEqual(await store.findUserByEmailKey(bob.emailKey), bob);
      assert.deepEqual(await store.findUserByEmailKey(ann.emailKey), ann);
      assert.equal(await store.changeUserEmail('no-such-user', { email: 'x@example.com', emailKey: 'x@example.com' }), null);
      assert.equal(await store.findUserByEmailKey('x@example.com'), null);
    });

    it('changes only the spelling when the key stays (Ann@ → ann@)', async () => {
      const { store, now } = subject();
      const { ann } = await annAndBob(store, now);
      const moved = await store.changeUserEmail(ann.id, { email: 'erased.person@EXAMPLE.com', emailKey: ann.emailKey });
      assert.equal(moved !== 'taken' && moved?.email, 'erased.person@EXAMPLE.com');
      assert.equal((await store.findUserByEmailKey(ann.emailKey))?.email, 'erased.person@EXAMPLE.com');
    });

    it('of two users moving to one address at once, exactly one gets it', async () => {
      const { store, now } = subject();
      const { ann, bob } = await annAndBob(store, now);
      const to = { email: 'wanted@example.com', emailKey: 'wanted@example.com' };
      const answers = await Promise.all([store.changeUserEmail(ann.id, to), store.changeUserEmail(bob.id, to)]);
      assert.equal(answers.filter((answer) => answer === 'taken').length, 1, JSON.stringify(answers));
      const holder = await store.findUserByEmailKey(to.emailKey);
      const winner = answers.find((answer): answer is UserRecord => answer !== 'taken' && answer !== null);
      assert.ok(winner);
      assert.equal(holder?.id, winner.id);
      assert.equal(await store.countUsers(), 2);
    });
  });

  describe('blocking (UserRecord.blockedAt)', () => {
    it('keeps blockedAt through updates, moves and a reopen, and forgets it when removed', async () => {
      let { store } = subject();
      const { now } = subject();
      const { ann } = await annAndBob(store, now);
      const blocked = { ...ann, blockedAt: now };
      await put(store, blocked);
      assert.deepEqual(await store.findUserById(ann.id), blocked);
      store = await subject().reopen();
      assert.deepEqual(await store.findUserByEmailKey(ann.emailKey), blocked);
      assert.equal(((await store.listUsers({ limit: 10, sort: 'created' })).users.find((u) => u.id === ann.id))?.blockedAt, now);
      const moved = await store.changeUserEmail(ann.id, { email: 'moved@example.com', emailKey: 'moved@example.com' });
      assert.equal(moved !== 'taken' && moved?.blockedAt, now);
      await store.updateUser('moved@example.com', (current) => {
        const { blockedAt: _, ...unblocked } = current!;
        return { next: unblocked, result: null };
      });
      store = await subject().reopen();
      const read = await store.findUserById(ann.id);
      assert.equal(read?.blockedAt ?? null, null);
      assert.ok(!('blockedAt' in read!), 'absent again, as on a user never blocked');
    });
  });
}
