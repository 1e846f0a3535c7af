/**
 * One user: who, their state, their sessions, passkeys and recent audit entries, and the actions:
 * end sessions, block or unblock, export, delete (after a confirmation that names the address).
 * After an action the page is drawn again from the server's answer, and the status line says
 * what was done. The admin's own page offers no block or delete (the server refuses them too).
 */
import { AdminPath, type AdminActionResponse, type AdminUserDetail, type AuditEntry } from '../../contract/admin.ts';
import { ApiFailure, withId } from '../api.ts';
import { h } from '../dom.ts';
import { plural, when } from '../format.ts';
import type { PageContext } from './page.ts';

const EVENT_NAMES: Record<string, string> = {
  sign_in: 'Signed in',
  sign_out: 'Signed out',
  user_created: 'Account created',
  passkey_added: 'Passkey added',
  passkey_removed: 'Passkey removed',
  user_deleted: 'Account deleted',
  email_changed: 'Address changed',
  email_change_undone: 'Address change undone',
  user_blocked: 'Blocked',
  user_unblocked: 'Unblocked',
  admin_action: 'Admin action',
};
const ACTION_NAMES: Record<string, string> = { end_sessions: 'ended sessions', block: 'blocked', unblock: 'unblocked', delete: 'deleted', export: 'exported' };

/** One entry in words; `by` is an admin's user id (or `cli`): the signed-in admin's own reads "you". */
function auditText(entry: AuditEntry, adminId: string): string {
  const name = EVENT_NAMES[entry.event] ?? entry.event;
  const by = entry.by === undefined ? '' : entry.by === adminId ? ' by you' : entry.by === 'cli' ? ' from the command line' : ` by admin ${entry.by}`;
  if (entry.event === 'sign_in' && entry.method) return `${name} (${entry.method})`;
  if (entry.event === 'admin_action' && entry.action) return `${name}: ${ACTION_NAMES[entry.action] ?? entry.action}${by}`;
  return `${name}${by}`;
}

function table(caption: string, headings: string[], rows: (string | Node)[][], empty: string): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  // A box that may scroll sideways (a phone) is a region the keyboard can reach and scroll.
  return h(
    'div',
    { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': caption },
    h(
      'table',
      { class: 'data' },
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, ...headings.map((text) => h('th', { scope: 'col' }, text)))),
      h('tbody', {}, ...rows.map(([first, ...rest]) => h('tr', {}, h('th', { scope: 'row' }, first), ...rest.map((cell) => h('td', {}, cell))))),
    ),
  );
}

/** Saves the export as `user-<id>.json` through a download link (the API wants the session header, so no plain link). */
async function download(context: PageContext, id: string): Promise<void> {
  const blob = await context.api.blob(withId(AdminPath.export, id));
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: `user-${id}.json`, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked on the next task: the click has started the download by then.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export async function userPage(context: PageContext, id: string, redraw: () => void): Promise<HTMLElement> {
  const detail = await context.api.get<AdminUserDetail>(withId(AdminPath.user, id));
  const { user } = detail;
  const self = user.id === context.adminId;
  const busy = (button: HTMLButtonElement, work: () => Promise<string>) => async () => {
    button.disabled = true;
    try {
      context.announce(await work());
      redraw();
    } catch (error) {
      context.announce(error instanceof ApiFailure ? error.message : 'That did not work. Try again.');
      button.disabled = false;
    }
  };

  const endSessions = h('button', { type: 'button', class: 'button' }, 'End all sessions');
  endSessions.addEventListener('click', busy(endSessions, async () => {
    const answer = await context.api.post<AdminActionResponse>(withId(AdminPath.endSessions, id));
    return `${plural(answer.sessions ?? 0, 'session', 'sessions')} of ${user.email} ended.`;
  }));
  const block = h('button', { type: 'button', class: 'button' }, user.blockedAt ? 'Unblock' : 'Block');
  block.addEventListener('click', busy(block, async () => {
    if (user.blockedAt) {
      await context.api.post<AdminActionResponse>(withId(AdminPath.unblock, id));
      return `${user.email} is unblocked: they can sign in again.`;
    }
    const answer = await context.api.post<AdminActionResponse>(withId(AdminPath.block, id));
    return `${user.email} is blocked; ${plural(answer.sessions ?? 0, 'session', 'sessions')} ended.`;
  }));
  const exportButton = h('button', { type: 'button', class: 'button' }, 'Export as JSON');
  exportButton.addEventListener('click', async () => {
    try {
      await download(context, id);
      context.announce(`The data of ${user.email} is saved as user-${id}.json.`);
    } catch (error) {
      context.announce(error instanceof ApiFailure ? error.message : 'The export did not work. Try again.');
    }
  });

  // The confirmation names the address, so the admin sees whom they are about to erase.
  const confirmDelete = h('button', { type: 'button', class: 'button danger' }, 'Delete for good');
  const cancel = h('button', { type: 'button', class: 'button', autofocus: true }, 'Cancel');
  const dialog = h(
    'dialog',
    { class: 'confirm', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-text' },
    h('h2', { id: 'confirm-title' }, `Delete ${user.email}?`),
    h('p', { id: 'confirm-text' }, `Their account, ${plural(detail.sessions.length, 'session', 'sessions')} and ${plural(detail.passkeys.length, 'passkey', 'passkeys')} are erased for good. The audit trail keeps only the id. They can sign up again later, as a new user.`),
    h('div', { class: 'actions' }, cancel, confirmDelete),
  );
  cancel.addEventListener('click', () => dialog.close());
  confirmDelete.addEventListener('click', async () => {
    confirmDelete.disabled = true;
    try {
      const answer = await context.api.post<AdminActionResponse>(withId(AdminPath.delete, id));
      dialog.close();
      context.announce(`${user.email} is deleted: ${plural(answer.sessions ?? 0, 'session', 'sessions')} ended, ${plural(answer.passkeys ?? 0, 'passkey', 'passkeys')} erased.`);
      location.hash = '#/users';
    } catch (error) {
      dialog.close();
      context.announce(error instanceof ApiFailure ? error.message : 'The delete did not work. Try again.');
      confirmDelete.disabled = false;
    }
  });
  const deleteButton = h('button', { type: 'button', class: 'button danger', onclick: () => dialog.showModal() }, 'Delete…');

  const state = user.blockedAt ? h('span', {}, h('span', { class: 'badge blocked' }, 'Blocked'), ` since ${when(user.blockedAt)}`) : h('span', { class: 'badge' }, 'Active');
  return h(
    'div',
    { class: 'page user' },
    h('p', { class: 'crumbs' }, h('a', { href: '#/users' }, '← Users')),
    h('h1', { tabindex: '-1', class: 'address' }, user.email),
    h(
      'dl',
      { class: 'facts' },
      h('div', {}, h('dt', {}, 'Status'), h('dd', {}, state)),
      h('div', {}, h('dt', {}, 'Created'), h('dd', {}, when(user.createdAt))),
      h('div', {}, h('dt', {}, 'Last sign-in'), h('dd', {}, when(user.lastLoginAt))),
      h('div', {}, h('dt', {}, 'Two-step verification'), h('dd', {}, user.secondFactor ? 'On (authenticator app)' : 'Off')),
      h('div', {}, h('dt', {}, 'User id'), h('dd', {}, h('code', {}, user.id))),
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'actions-heading' },
      h('h2', { id: 'actions-heading' }, 'Actions'),
      self ? h('p', { class: 'note' }, 'This is your own account: block and delete it from another admin account or the command line.') : null,
      h('div', { class: 'actions' }, endSessions, self ? null : block, exportButton, self ? null : deleteButton),
    ),
    h('section', { class: 'panel', 'aria-labelledby': 'sessions-heading' }, h('h2', { id: 'sessions-heading' }, `Sessions (${detail.sessions.length})`), table('Sessions', ['Signed in', 'Ends', 'By'], detail.sessions.map((s) => [when(s.createdAt), when(s.expiresAt), s.method ?? 'unknown']), 'No live session.')),
    h('section', { class: 'panel', 'aria-labelledby': 'passkeys-heading' }, h('h2', { id: 'passkeys-heading' }, `Passkeys (${detail.passkeys.length})`), table('Passkeys', ['Name', 'Added', 'Last used', 'Synced'], detail.passkeys.map((p) => [p.name, when(p.createdAt), when(p.lastUsedAt), p.backedUp ? 'yes' : 'no']), 'No passkey.')),
    h('section', { class: 'panel', 'aria-labelledby': 'audit-heading' }, h('h2', { id: 'audit-heading' }, 'Recent activity'), table('Recent activity, newest first', ['When', 'What'], detail.audit.map((entry) => [when(entry.at), auditText(entry, context.adminId)]), 'Nothing recorded yet.')),
    dialog,
  );
}
