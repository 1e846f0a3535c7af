/**
 * Listing users a page at a time (an admin console, a CLI), the same in every store: the query
 * checked once here, the order, the search and the cursor.
 *
 * Order: newest first by the sort's time (`created`: createdAt; `last_sign_in`: lastLoginAt, users
 * who never signed in last), the id settling a tie, so every user is on exactly one page however
 * many share a time. Each store compares the same pair: the JSON store and Redis the text of
 * `listKey` (an ISO 8601 time is 24 characters that sort as the time), PostgreSQL the indexed columns.
 *
 * The cursor is the position of the last user of a page (its sort, time and id), base64url JSON:
 * opaque to callers, and a position rather than an offset, so a user added or erased between
 * two pages moves no other user to another page. A cursor that does not decode, or was made
 * for the other sort, is an `InvalidUserListQuery`, never a crash.
 */
import { z } from 'zod';
import type { UserRecord } from './types.ts';

export type UserSort = 'created' | 'last_sign_in';

export interface UserListQuery {
  /** The `next` of the previous page. */
  after?: string | undefined;
  /** 1 to 100. */
  limit: number;
  /** A case-insensitive substring of the address. */
  search?: string | undefined;
  sort: UserSort;
}

export interface UserPage {
  users: UserRecord[];
  /** The cursor of the next page; null on the last one. */
  next: string | null;
}

/** Where a page starts: after the user at this time (null: never signed in) and id. */
export interface ListPosition {
  at: string | null;
  id: string;
}

export interface CheckedUserListQuery {
  limit: number;
  /** Lower-cased; null when there is none. */
  search: string | null;
  sort: UserSort;
  after: ListPosition | null;
}

/** A page asked for with a bad limit, sort, search or cursor: the caller's mistake, said in `message`. */
export class InvalidUserListQuery extends Error {
  override name = 'InvalidUserListQuery';
}

export const MAX_PAGE = 100;

const QueryShape = z.object({
  after: z.string().max(1_000).optional(),
  limit: z.number().int().min(1).max(MAX_PAGE),
  // An address is at most 254 characters: a longer search can match nothing.
  search: z.string().max(254).optional(),
  sort: z.enum(['created', 'last_sign_in']),
});

const ISO_TIME = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
const CursorShape = z.tuple([z.enum(['created', 'last_sign_in']), ISO_TIME.nullable(), z.string().min(1).max(200)]);

/** The query checked, its cursor decoded; throws `InvalidUserListQuery`. */
export function checkUserListQuery(query: UserListQuery): CheckedUserListQuery {
  const shape = QueryShape.safeParse(query);
  if (!shape.success) {
    const issue = shape.error.issues[0]!;
    throw new InvalidUserListQuery(`bad user list query at "${issue.path.join('.')}": ${issue.message}`);
  }
  const { after, limit, search, sort } = shape.data;
  return { limit, sort, search: search ? search.toLowerCase() : null, after: after === undefined ? null : decodeCursor(after, sort) };
}

function decodeCursor(cursor: string, sort: UserSort): ListPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidUserListQuery('bad user list cursor: pass the `next` of the previous page unchanged');
  }
  const shape = CursorShape.safeParse(decoded);
  if (!shape.success) throw new InvalidUserListQuery('bad user list cursor: pass the `next` of the previous page unchanged');
  const [cursorSort, at, id] = shape.data;
  if (cursorSort !== sort) throw new InvalidUserListQuery(`bad user list cursor: it was made for sort "${cursorSort}", not "${sort}"`);
  if (sort === 'created' && at === null) throw new InvalidUserListQuery('bad user list cursor: pass the `next` of the previous page unchanged');
  return { at, id };
}

/** The time a user is sorted by. */
export function sortTime(user: UserRecord, sort: UserSort): string | null {
  return sort === 'created' ? user.createdAt : user.lastLoginAt;
}

/** The cursor after `user`. */
export function cursorAfter(user: UserRecord, sort: UserSort): string {
  return Buffer.from(JSON.stringify([sort, sortTime(user, sort), user.id])).toString('base64url');
}

/**
 * The text the JSON store and Redis order by, highest first: the time, a space, the id. No time
 * (never signed in) is the empty string, and a space sorts before every digit: those come last.
 */
export function listKey(at: string | null, id: string): string {
  return `${at ?? ''} ${id}`;
}

export function matchesSearch(user: UserRecord, search: string | null): boolean {
  return search === null || user.email.toLowerCase().includes(search);
}

/** Compares as the page order (newest first), for `Array.prototype.sort`. */
export function byListKeyDescending(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}
