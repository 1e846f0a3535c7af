/** The overview: the counts, then sign-ins per day by method and mail per day, each with its table. */
import { AdminPath, type AdminOverview } from '../../contract/admin.ts';
import { dataTable, legend, stackedBars, type ChartSpec } from '../chart.ts';
import { h } from '../dom.ts';
import { count } from '../format.ts';
import type { PageContext } from './page.ts';

function figure(spec: ChartSpec, caption: string): HTMLElement {
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': `${spec.id}-heading` },
    h('h2', { id: `${spec.id}-heading` }, spec.title),
    legend(spec),
    // On a phone the chart keeps a readable size and scrolls sideways: a region the keyboard reaches.
    h('div', { class: 'chart-box', tabindex: '0', role: 'region', 'aria-label': `${spec.title}, chart` }, stackedBars(spec)),
    h('details', { class: 'as-table' }, h('summary', {}, 'Show the numbers as a table'), dataTable(spec, caption)),
  );
}

export async function overviewPage({ api }: PageContext): Promise<HTMLElement> {
  const overview = await api.get<AdminOverview>(AdminPath.overview);
  const days = overview.days.map((d) => d.day);
  const sum = (pick: (d: AdminOverview['days'][number]) => number) => overview.days.reduce((total, d) => total + pick(d), 0);
  const signIns: ChartSpec = {
    id: 'sign-ins',
    title: 'Sign-ins per day',
    days,
    series: [
      { name: 'Code', className: 'series-code', values: overview.days.map((d) => d.signIns.code) },
      { name: 'Link', className: 'series-link', values: overview.days.map((d) => d.signIns.link) },
      { name: 'Passkey', className: 'series-passkey', values: overview.days.map((d) => d.signIns.passkey) },
    ],
  };
  const mail: ChartSpec = {
    id: 'mail',
    title: 'Mail per day',
    days,
    series: [
      { name: 'Sent', className: 'series-sent', values: overview.days.map((d) => d.mail.sent) },
      { name: 'Failed', className: 'series-failed', values: overview.days.map((d) => d.mail.failed) },
    ],
  };
  const stat = (label: string, value: number, note?: string) => h('div', { class: 'stat' }, h('dt', {}, label), h('dd', {}, count(value), note ? h('span', { class: 'stat-note' }, note) : null));
  const failed = sum((d) => d.mail.failed);
  return h(
    'div',
    { class: 'page overview' },
    h('h1', { tabindex: '-1' }, 'Overview'),
    h(
      'dl',
      { class: 'stats' },
      stat('Users', overview.users),
      stat('Active sessions', overview.activeSessions),
      stat('Sign-ins', sum((d) => d.signIns.code + d.signIns.link + d.signIns.passkey), 'last 30 days'),
      stat('Mail sent', sum((d) => d.mail.sent), failed > 0 ? `${count(failed)} failed` : 'none failed'),
    ),
    figure(signIns, 'Sign-ins per day by method, the last 30 days (UTC), newest first'),
    figure(mail, 'Mail sent and failed per day, the last 30 days (UTC), newest first'),
  );
}
