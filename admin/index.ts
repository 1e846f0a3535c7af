/**
 * The operators' console (served at `/admin` by the backend when ADMIN_EMAILS is set): it signs in
 * with the `<passwordless-login>` element on the page, then calls `/admin/api/*` with the
 * element's session. Pages by the address's fragment: `#/` the overview, `#/users` the list,
 * `#/users/<id>` a user. A 401 (session over) brings the sign-in back; a 403 `not_admin` says the
 * account is not an admin and offers to sign out.
 */
import './admin.css';
import type { PasswordlessLogin } from '../widget/element/passwordless-login.ts';
import { AdminPath, type AdminOverview } from '../contract/admin.ts';
import { ApiFailure, apiClient } from './api.ts';
import { h } from './dom.ts';
import { overviewPage } from './pages/overview.ts';
import type { PageContext } from './pages/page.ts';
import { userPage } from './pages/user.ts';
import { usersPage } from './pages/users.ts';

const element = document.querySelector<PasswordlessLogin>('passwordless-login')!;
const signIn = document.querySelector<HTMLElement>('.sign-in')!;
const view = document.querySelector<HTMLElement>('.view')!;
const nav = document.querySelector<HTMLElement>('.top-nav')!;
const who = document.querySelector<HTMLElement>('.who')!;
const whoEmail = document.querySelector<HTMLElement>('.who-email')!;
const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
document.body.append(status);

const api = apiClient({ token: () => element.session?.token });
let adminId: string | null = null;
/** Each draw gets a number: an answer that arrives after a newer draw started is dropped. */
let drawing = 0;

let quiet: ReturnType<typeof setTimeout> | undefined;
/** The status line: read out once by screen readers, and gone after 10 s so it covers nothing for long. */
function announce(message: string): void {
  status.textContent = message;
  clearTimeout(quiet);
  quiet = setTimeout(() => (status.textContent = ''), 10_000);
}

function showSignIn(note?: string): void {
  adminId = null;
  view.hidden = true;
  view.replaceChildren();
  nav.hidden = true;
  who.hidden = true;
  signIn.hidden = false;
  signIn.querySelector('.lede')!.textContent = note ?? 'Only the addresses in ADMIN_EMAILS may use it.';
}

function showConsole(): void {
  signIn.hidden = true;
  nav.hidden = false;
  who.hidden = false;
  whoEmail.textContent = element.user?.email ?? '';
  view.hidden = false;
}

/** The page the fragment names, drawn into the view; focus moves to its heading after a navigation. */
async function draw(moveFocus: boolean): Promise<void> {
  if (!adminId) return;
  const mine = ++drawing;
  const context: PageContext = { api, announce, adminId };
  const [path = '', queryText = ''] = location.hash.replace(/^#/, '').split('?');
  const query = new URLSearchParams(queryText);
  const userId = /^\/users\/([^/]+)$/.exec(path)?.[1];
  for (const link of nav.querySelectorAll('a')) {
    const current = (link.dataset.nav === 'users') === path.startsWith('/users');
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  view.setAttribute('aria-busy', 'true');
  try {
    const page = userId
      ? await userPage(context, decodeURIComponent(userId), () => void draw(false))
      : path.startsWith('/users')
        ? await usersPage(context, { search: query.get('search') ?? '', sort: query.get('sort') === 'last_sign_in' ? 'last_sign_in' : 'created', after: query.get('after') ?? '' })
        : await overviewPage(context);
    if (mine !== drawing) return;
    view.replaceChildren(page);
    // A chart wider than a phone starts scrolled to today, the day people look for first.
    for (const box of page.querySelectorAll('.chart-box')) box.scrollLeft = box.scrollWidth;
    document.title = `${page.querySelector('h1')?.textContent ?? 'Console'} · Admin`;
    if (moveFocus) page.querySelector<HTMLElement>('h1')?.focus();
  } catch (error) {
    if (mine !== drawing) return;
    handleFailure(error);
  } finally {
    if (mine === drawing) view.removeAttribute('aria-busy');
  }
}

function handleFailure(error: unknown): void {
  if (error instanceof ApiFailure && error.status === 401) {
    // The session ended on the server (expired, or ended by someone): sign in again.
    void element.signOut();
    showSignIn('Your session has ended. Sign in again.');
    return;
  }
  if (error instanceof ApiFailure && error.code === 'not_admin') {
    showSignIn(`${element.user?.email ?? 'This account'} is not an admin of this server. Sign out and sign in with an address listed in ADMIN_EMAILS.`);
    return;
  }
  const message = error instanceof ApiFailure ? error.message : 'Something went wrong. Try again.';
  view.replaceChildren(h('div', { class: 'page' }, h('h1', { tabindex: '-1' }, 'This page cannot be shown'), h('p', {}, message), h('p', {}, h('a', { href: '#/' }, 'Back to the overview'))));
}

/** With a session: ask the API whether it is an admin's (the overview is the cheapest read). */
async function start(): Promise<void> {
  if (!element.session) return showSignIn();
  try {
    await api.get<AdminOverview>(AdminPath.overview);
  } catch (error) {
    return handleFailure(error);
  }
  adminId = element.user!.id;
  showConsole();
  await draw(false);
}

document.querySelector('.sign-out')!.addEventListener('click', async () => {
  await element.signOut();
  showSignIn();
  announce('Signed out.');
});
// The pages live in the fragment, so the skip link moves focus itself rather than by `#main`.
document.querySelector('.skip-link')!.addEventListener('click', (event) => {
  event.preventDefault();
  document.querySelector<HTMLElement>('#main')!.focus();
});
element.addEventListener('passwordless-success', () => void start().then(() => document.querySelector<HTMLElement>('.view h1')?.focus()));
element.addEventListener('passwordless-signed-out', () => showSignIn());
window.addEventListener('hashchange', () => void draw(true));

await customElements.whenDefined('passwordless-login');
// The element has read its kept session by the time it has rendered once.
await element.settled;
await start();
