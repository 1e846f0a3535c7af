/** Users as the API and the host see them: the stored record without its identity key. */
import type { User } from '../../contract/index.ts';
import type { UserRecord } from '../store/types.ts';
import type { UserListQuery } from '../store/user-list.ts';
import { parseEmailAddress } from './email-address.ts';
import type { LoginContext } from './login-context.ts';

export function toPublicUser(user: UserRecord): User {
  // The second factor (a sealed secret, recovery-code hashes) never leaves the server: /session,
  // the hooks and the library's answers carry none of it.
  const { emailKey: _key, totp: _totp, ...rest } = user;
  return rest;
}

/** The user with this id or address (compared as its identity key: case, IDN), or null. */
export async function findUser(context: LoginContext, by: { id: string } | { email: string }): Promise<User | null> {
  const { store } = context;
  const key = 'email' in by ? parseEmailAddress(by.email)?.key : undefined;
  const user = 'id' in by ? await store.findUserById(by.id) : key ? await store.findUserByEmailKey(key) : null;
  return user && toPublicUser(user);
}

/** A page of users as the host sees them, and the cursor of the next (store/user-list.ts). */
export async function listUsers(context: LoginContext, query: UserListQuery): Promise<{ users: User[]; next: string | null }> {
  const page = await context.store.listUsers(query);
  return { users: page.users.map(toPublicUser), next: page.next };
}
