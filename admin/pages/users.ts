/**
 * The users: a search by address, the order (newest or last signed in), a page of rows, each
 * address a link to the user's page. The query lives in the address (`#/users?search=…`), so
 * Back returns to the previous page of the list and a list can be bookmarked.
 */
import { AdminPath, type AdminUserPage } from '../../contract/admin.ts';
import { h } from '../dom.ts';
import { count, plural, when } from '../format.ts';
import type { PageContext } from './page.ts';

export interface UsersQuery {
  search: string;
  sort: 'created' | 'last_sign_in';
  after: string;
}

export function usersHash(query: Partial<UsersQuery>): string {
  const params = new URLSearchParams();
  if (query.search) params.set('search', query.search);
  if (query.sort && query.sort !== 'created') params.set('sort', query.sort);
  if (query.after) params.set('after', query.after);
  const text = params.toString();
  return `#/users${text ? `?${text}` : ''}`;
}

export async function usersPage(context: PageContext, query: UsersQuery): Promise<HTMLElement> {
  const params = new URLSearchParams({ sort: query.sort, limit: '25' });
  if (query.search) params.set('search', query.search);
  if (query.after) params.set('after', query.after);
  const page = await context.api.get<AdminUserPage>(`${AdminPath.users}?${params}`);

  const search = h('input', { type: 'search', id: 'user-search', name: 'search', value: query.search, autocomplete: 'off', spellcheck: 'false' });
  const sort = h('select', { id: 'user-sort', name: 'sort' }, h('option', { value: 'created', selected: query.sort === 'created' }, 'Newest first'), h('option', { value: 'last_sign_in', selected: query.sort === 'last_sign_in' }, 'Last signed in'));
  const form = h(
    'form',
    {
      class: 'filters',
      role: 'search',
      'aria-label': 'Users',
      onsubmit: (event) => {
        event.preventDefault();
        location.hash = usersHash({ search: search.value.trim(), sort: sort.value as UsersQuery['sort'] });
      },
    },
    h('div', { class: 'field' }, h('label', { for: 'user-search' }, 'Address contains'), search),
    h('div', { class: 'field' }, h('label', { for: 'user-sort' }, 'Order'), sort),
    h('button', { type: 'submit', class: 'button primary' }, 'Search'),
  );

  const rows = page.users.map((user) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, h('a', { href: `#/users/${encodeURIComponent(user.id)}`, class: 'address' }, user.email)),
      h('td', {}, when(user.createdAt)),
      h('td', {}, when(user.lastLoginAt)),
      h('td', {}, user.blockedAt ? h('span', { class: 'badge blocked' }, 'Blocked') : h('span', { class: 'badge' }, 'Active')),
    ),
  );
  const found = query.search ? `${plural(page.users.length, 'match', 'matches')} on this page for “${query.search}”` : `${plural(page.users.length, 'user', 'users')} on this page`;
  const table = h(
    'table',
    { class: 'data users' },
    h('caption', {}, `${found}, of ${count(page.total)} in all`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Address'), h('th', { scope: 'col' }, 'Created'), h('th', { scope: 'col' }, 'Last sign-in'), h('th', { scope: 'col' }, 'Status'))),
    h('tbody', {}, ...rows),
  );
  const paging = h(
    'nav',
    { class: 'paging', 'aria-label': 'Pages of users' },
    query.after ? h('a', { href: usersHash({ search: query.search, sort: query.sort }), class: 'button' }, 'First page') : null,
    page.next ? h('a', { href: usersHash({ ...query, after: page.next }), class: 'button', rel: 'next' }, 'Next page') : null,
  );
  return h(
    'div',
    { class: 'page users' },
    h('h1', { tabindex: '-1' }, 'Users'),
    form,
    page.users.length > 0 ? h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Users' }, table) : h('p', { class: 'empty' }, query.search ? `No address contains “${query.search}”.` : 'No users yet.'),
    paging.childElementCount > 0 ? paging : null,
  );
}
