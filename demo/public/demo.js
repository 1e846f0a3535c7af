/*
 * The demo page's script: an event log, the dev mailbox panel and the language and theme switches.
 * It runs before the widget's script (see index.html) so that it hears the element's first events.
 * Mail content is shown with textContent only: a subject or an address is data, never markup.
 */
'use strict';

(() => {
  const EVENTS = [
    'passwordless-step-change',
    'passwordless-code-sent',
    'passwordless-success',
    'passwordless-error',
    'passwordless-signed-out',
  ];
  /** Two seconds: a mail shows up about as fast as a real inbox would, without hammering the server. */
  const POLL_MS = 2000;
  const MAX_LOG_ENTRIES = 100;

  /** Events heard before the page's DOM exists; written out once it does. */
  const early = [];
  let logList = null;

  for (const name of EVENTS) {
    document.addEventListener(name, (event) => {
      const entry = { name, detail: event.detail, at: new Date() };
      if (logList) writeLogEntry(entry);
      else early.push(entry);
    });
  }

  // A sign-in link pasted into this same tab only changes the fragment, which reloads nothing:
  // reload so the element starts again and reads the token.
  window.addEventListener('hashchange', () => {
    if (new URLSearchParams(location.hash.slice(1)).has('pl_token')) location.reload();
  });

  document.addEventListener('DOMContentLoaded', () => {
    logList = document.getElementById('log-list');
    early.splice(0).forEach(writeLogEntry);
    document.getElementById('log-clear').addEventListener('click', () => {
      logList.replaceChildren();
      document.getElementById('log-empty').hidden = false;
    });
    setUpSwitches(document.getElementById('login'));
    setUpApiCall(document.getElementById('login'));
    pollMailbox();
  });

  /** The demo's protected API, called the way a site calls its own backend. */
  function setUpApiCall(login) {
    const result = document.getElementById('api-result');
    document.getElementById('api-call').addEventListener('click', async () => {
      const token = await login.getAccessToken();
      const response = await fetch('/demo/api/me', { headers: token ? { Authorization: `Bearer ${token}` } : {} });
      const body = await response.json();
      result.textContent = `${response.status} ${response.statusText}\n${body.message ?? body.error?.message}`;
      result.dataset.status = String(response.status);
    });
  }

  function setUpSwitches(login) {
    const lang = document.getElementById('lang-select');
    const theme = document.getElementById('theme-select');
    lang.value = login.getAttribute('lang') || 'en';
    lang.addEventListener('change', () => login.setAttribute('lang', lang.value));
    theme.value = login.getAttribute('theme') || 'auto';
    theme.addEventListener('change', () => login.setAttribute('theme', theme.value));
  }

  function writeLogEntry({ name, detail, at }) {
    const item = element('li', 'event');
    item.append(element('span', 'event-time', at.toLocaleTimeString()));
    const short = name.replace(/^passwordless-/, '');
    const label = element('span', 'event-name', name);
    if (short === 'error') label.classList.add('error');
    if (short === 'success') label.classList.add('success');
    item.append(label);
    if (detail !== null && detail !== undefined) item.append(element('pre', 'event-detail', JSON.stringify(maskTokens(detail), null, 2)));
    logList.prepend(item);
    while (logList.children.length > MAX_LOG_ENTRIES) logList.lastElementChild.remove();
    document.getElementById('log-empty').hidden = true;
  }

  /** A bearer token on screen (or in a screenshot of it) is a live session: show its start only. */
  function maskTokens(value) {
    return JSON.parse(JSON.stringify(value), (key, v) => (key === 'token' && typeof v === 'string' ? `${v.slice(0, 6)}…` : v));
  }

  let shownSignature = '';

  async function pollMailbox() {
    try {
      const response = await fetch('/demo/api/mailbox', { cache: 'no-store' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      showMailbox(await response.json());
    } catch {
      setStatus('unreachable', 'off');
    }
    setTimeout(pollMailbox, POLL_MS);
  }

  function showMailbox({ enabled, messages }) {
    const empty = document.getElementById('mailbox-empty');
    if (!enabled) {
      setStatus('off: SMTP is configured', 'off');
      empty.textContent = 'This server sends real mail over SMTP, so there is no dev mailbox to show.';
      empty.hidden = false;
      return;
    }
    setStatus(messages.length === 1 ? '1 message' : `${messages.length} messages`, 'live');
    // Rebuild only when the list changed, so a link being hovered or a selection is not lost.
    const signature = messages.map((m) => m.id).join(',');
    if (signature === shownSignature) return;
    shownSignature = signature;
    empty.hidden = messages.length > 0;
    document.getElementById('mailbox-list').replaceChildren(...messages.map((mail, index) => mailItem(mail, index === 0)));
  }

  function mailItem(mail, newest) {
    const item = element('li', newest ? 'mail fresh' : 'mail');
    const meta = element('div', 'mail-meta');
    meta.append(element('span', 'mail-to', `To: ${mail.to}`), element('time', 'mail-time', new Date(mail.receivedAt).toLocaleTimeString()));
    item.append(meta, element('p', 'mail-subject', mail.subject));
    if (mail.code) item.append(element('p', 'mail-code', mail.code));
    const actions = element('div', 'mail-actions');
    if (mail.link && /^https?:\/\//.test(mail.link)) {
      const link = element('a', 'mail-link', 'Open the sign-in link');
      link.href = mail.link;
      // A new tab: opening it here would only change this page's fragment.
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      actions.append(link);
      if (navigator.clipboard) {
        const copy = element('button', 'quiet', 'Copy link');
        copy.type = 'button';
        copy.addEventListener('click', async () => {
          try {
            await navigator.clipboard.writeText(mail.link);
            copy.textContent = 'Copied: paste it in another browser';
          } catch {
            copy.textContent = 'Copy failed: use the link';
          }
        });
        actions.append(copy);
      }
    }
    item.append(actions);
    return item;
  }

  function setStatus(text, kind) {
    const status = document.getElementById('mailbox-status');
    status.textContent = text;
    status.className = `badge ${kind}`;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
})();
