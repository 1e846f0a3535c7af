/**
 * The stylesheet of the backend's own pages (`GET <base>/pages.css`): the magic link's landing
 * page and the mail preview's list. A linked file, since the pages' CSP allows no inline style.
 * The colours are the element's defaults (widget/element/passwordless-login.styles.ts), so the
 * element sits on its page as if drawn with it; light or dark follows `prefers-color-scheme`, as
 * the element does with its default theme. Logical properties only (inline/block): a
 * right-to-left page turns around with its `dir`. Muted text is 6.1:1 on the light background and
 * 7.9:1 on the dark one, links 5.8:1 and 7.3:1 (WCAG 2.2 AA asks 4.5:1).
 */
import type { Middleware } from 'koa';

export const PAGE_STYLES = `:root {
  color-scheme: light dark;
  --bg: #f4f4f7;
  --surface: #fff;
  --text: #1b1b1f;
  --muted: #5b5b66;
  --line: #d7d7de;
  --accent: #3a4fd8;
  --on-accent: #fff;
  --code-bg: #ebebf0;
  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans Arabic', 'PingFang SC', sans-serif;
  line-height: 1.5;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #121216;
    --surface: #1c1c21;
    --text: #ececf1;
    --muted: #a8a8b3;
    --line: #34343c;
    --accent: #8c9bff;
    --on-accent: #101018;
    --code-bg: #26262d;
  }
}
* {
  box-sizing: border-box;
}
body.pl-page {
  margin: 0;
  min-block-size: 100vh;
  background: var(--bg);
  color: var(--text);
}
a {
  color: var(--accent);
  text-underline-offset: 0.15em;
}
a:focus-visible {
  outline: 2px solid var(--accent);
  outline-offset: 2px;
  border-radius: 0.25rem;
}
code {
  font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
  font-size: 0.9em;
  padding: 0.05em 0.3em;
  border-radius: 0.3rem;
  background: var(--code-bg);
  overflow-wrap: anywhere;
}

/* The landing page: one narrow column, a little above the middle, as sign-in pages are. */
.landing {
  inline-size: 100%;
  max-inline-size: 27rem;
  margin-inline: auto;
  padding-block: clamp(1.5rem, 10vh, 6rem) 2rem;
  padding-inline: 1rem;
  display: flex;
  flex-direction: column;
  gap: 1.25rem;
}
.site {
  display: flex;
  align-items: center;
  gap: 0.75rem;
  min-inline-size: 0;
}
.site-mark {
  flex: none;
  display: grid;
  place-items: center;
  inline-size: 2.5rem;
  block-size: 2.5rem;
  border-radius: 0.6rem;
  background: var(--accent);
  color: var(--on-accent);
  font-weight: 700;
  font-size: 1.2rem;
}
.site-name {
  margin: 0;
  font-size: 1.35rem;
  line-height: 1.25;
  overflow-wrap: anywhere;
}
.landing passwordless-login {
  max-inline-size: none;
  border-radius: 0.5rem;
  box-shadow: 0 1px 2px rgb(0 0 0 / 0.06), 0 8px 24px rgb(0 0 0 / 0.08);
}
.back-row {
  margin: 0;
  font-size: 0.95rem;
}
.back {
  font-weight: 600;
  text-decoration: none;
  overflow-wrap: anywhere;
}
.back:hover {
  text-decoration: underline;
}
/* The arrow points the way back in either direction of writing; screen readers skip it. */
.back::before {
  content: '\\2190\\00a0' / '';
}
[dir='rtl'] .back::before {
  content: '\\2192\\00a0' / '';
}

/* The mail preview: a wider column with a table that scrolls on its own at 375 px. */
.sheet {
  max-inline-size: 60rem;
  margin-inline: auto;
  padding: 2.5rem 1rem 3rem;
}
.eyebrow {
  margin: 0;
  color: var(--accent);
  font-weight: 600;
  font-size: 0.8rem;
  letter-spacing: 0.04em;
  text-transform: uppercase;
}
.sheet h1 {
  margin: 0.3rem 0 0.75rem;
  font-size: clamp(1.5rem, 4vw, 2rem);
  line-height: 1.2;
}
.sheet p {
  margin: 0 0 0.75rem;
  color: var(--muted);
  max-inline-size: 46rem;
}
.card {
  margin-block-start: 1.5rem;
  background: var(--surface);
  border: 1px solid var(--line);
  border-radius: 0.75rem;
  overflow-x: auto;
}
table {
  inline-size: 100%;
  border-collapse: collapse;
  font-size: 0.95rem;
}
th,
td {
  padding: 0.65rem 1rem;
  text-align: start;
  border-block-end: 1px solid var(--line);
}
tbody tr:last-child td {
  border-block-end: none;
}
th {
  font-size: 0.8rem;
  color: var(--muted);
  font-weight: 600;
}
td:first-child {
  font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
  color: var(--muted);
  white-space: nowrap;
}
td a {
  font-weight: 600;
}
/* Which mail the preview shows: links that wrap, the one shown filled. */
.mail-choice {
  display: flex;
  flex-wrap: wrap;
  gap: 0.5rem;
  margin: 0 0 1.25rem;
  padding: 0;
  list-style: none;
}
.mail-choice a {
  display: inline-block;
  padding: 0.3rem 0.8rem;
  border: 1px solid var(--line);
  border-radius: 999px;
  background: var(--surface);
  font-size: 0.9rem;
  font-weight: 600;
  text-decoration: none;
}
.mail-choice a:hover {
  border-color: var(--accent);
}
.mail-choice a[aria-current='page'] {
  background: var(--accent);
  border-color: var(--accent);
  color: var(--on-accent);
}
@media (max-width: 30rem) {
  th,
  td {
    padding: 0.55rem 0.5rem;
  }
}
`;

/** Serves the sheet: public and cacheable for 5 minutes, like the element's script. */
export const pageStyles: Middleware = (ctx) => {
  ctx.type = 'text/css; charset=utf-8';
  ctx.set('Cache-Control', 'public, max-age=300');
  ctx.body = PAGE_STYLES;
};
