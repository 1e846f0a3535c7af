/**
 * Renders the login email from `templates/` (or an operator's directory over it, template-files.ts):
 * a shared layout (`layout.html`, `layout.txt`), a body per locale (`login.<locale>.html`,
 * `login.<locale>.txt`) and a subject per locale (`subjects.json`). The layout gets the locale as `{{lang}}` and its direction as `{{dir}}` (`rtl`
 * for the locales in `RTL_LOCALES`, else `ltr`), so an Arabic mail reads right to left.
 *
 * Placeholders are `{{name}}`; there is no way to insert a value unescaped, so a template cannot
 * forget to escape. In `.html` files every value is HTML-escaped (quotes too, so a value is safe in
 * a quoted attribute as well as in text); in `.txt` files and the subject values go in as they are,
 * which is safe because each one is checked here first: the code is digits, the link is an http(s)
 * URL without whitespace or control characters, the minutes are a positive integer, and the host's
 * `{{extra.<key>}}` values are short and free of control characters (mail-extra.ts). An extra a
 * mail does not carry renders empty: a host that stops sending one must not stop every login.
 *
 * The files are read and checked once per directory, on first use (or at start, through
 * `loadMailTemplates`): a missing file, a missing `{{code}}` or `{{link}}`, or an unknown
 * placeholder is a `TemplateError` naming the file, never a blank or half-filled mail.
 */
import { join, resolve } from 'node:path';
import { LOCALES, RTL_LOCALES, type Locale } from '../../contract/index.ts';
import { parseMailExtra } from './mail-extra.ts';
import { ACCOUNT_MAIL_FAMILIES, DEFAULT_TEMPLATES_DIR, templateFiles, TemplateError, type AccountMailFamily } from './template-files.ts';
import type { AccountMail, LoginMail, Mail, PasskeyAddedMail, RenderedMail } from './types.ts';

export { DEFAULT_TEMPLATES_DIR, TemplateError } from './template-files.ts';

/** One mail's parsed templates in one locale. */
export interface TemplateSet {
  subject: Template;
  html: Template;
  text: Template;
}

/** One locale's parsed templates: the login mail's, and the notices'. */
export interface LocaleTemplates extends TemplateSet {
  /** "10 minutes", "10分钟": the locale's own words and plural rules, from ICU. */
  duration: Intl.NumberFormat;
  /** The "a passkey was added" notice (`passkey-added.<locale>.*`). */
  passkeyAdded: TemplateSet;
  /** "7 December 2026 at 06:45 UTC" in the locale's words, for the notice. */
  dateTime: Intl.DateTimeFormat;
  /** The account mails (`<family>.<locale>.*`): the change and deletion codes and the two notices. */
  account: Record<AccountMailFamily, TemplateSet>;
}

export interface MailTemplates {
  layoutHtml: Template;
  layoutText: Template;
  locales: ReadonlyMap<string, LocaleTemplates>;
  /** The files taken from the override directory rather than `templates/` (the preview lists them). */
  overridden: readonly string[];
}

type Escape = (value: string) => string;

/** A template split at its placeholders: `parts[i]` is literal text, `names[i]` follows it. */
export interface Template {
  parts: string[];
  names: string[];
  escape: Escape;
}

/** The values a login body and subject may use. `code` and `link` must appear in every body. */
const LOGIN_NAMES = ['code', 'link', 'email', 'duration'] as const;
/** The values the passkey notice may use: the device (the passkey's name) and the time must appear. */
const PASSKEY_ADDED_NAMES = ['device', 'time', 'email'] as const;
/**
 * The values each account mail may use and must show: a code mail its code; the "address
 * changed" notice the undo link and the new address (so the owner sees where their account went).
 */
const ACCOUNT_NAMES: Record<AccountMailFamily, { allowed: readonly string[]; required: readonly string[] }> = {
  'email-change-code': { allowed: ['code', 'email', 'duration'], required: ['code'] },
  'deletion-code': { allowed: ['code', 'email', 'duration'], required: ['code'] },
  'email-taken': { allowed: ['email'], required: [] },
  'email-changed': { allowed: ['email', 'newEmail', 'link', 'time'], required: ['link', 'newEmail'] },
  'totp-enabled': { allowed: ['email', 'time'], required: ['time'] },
  'totp-disabled': { allowed: ['email', 'time'], required: ['time'] },
};

/** The mail kind of each account family. */
const ACCOUNT_FAMILY: Record<AccountMail['kind'], AccountMailFamily> = {
  email_change_code: 'email-change-code',
  deletion_code: 'deletion-code',
  email_taken: 'email-taken',
  email_changed: 'email-changed',
  totp_enabled: 'totp-enabled',
  totp_disabled: 'totp-disabled',
};

/** The layout gets the rendered body (already escaped, so inserted as is), the subject, `lang` and `dir`. */
const LAYOUT_NAMES = ['content', 'subject', 'lang', 'dir'] as const;

/** `{{extra.plan}}`: the host's values for one mail, allowed in every template. */
const EXTRA_PREFIX = 'extra.';
const PLACEHOLDER = /\{\{\s*((?:extra\.)?[A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const asIs: Escape = (value) => value;

function parseTemplate(
  source: string,
  file: string,
  escape: Escape,
  allowed: readonly string[],
  required: readonly string[],
): Template {
  const parts: string[] = [];
  const names: string[] = [];
  let last = 0;
  for (const match of source.matchAll(PLACEHOLDER)) {
    const name = match[1]!;
    if (!allowed.includes(name) && !name.startsWith(EXTRA_PREFIX)) {
      throw new TemplateError(`${file}: unknown placeholder {{${name}}} (allowed: ${allowed.join(', ')}, extra.<key>)`);
    }
    // An unquoted attribute value (`href={{link}}`) could be broken out of with a space even after
    // HTML escaping; quoted ones cannot, because the escape covers both quote characters.
    if (escape === escapeHtml && /=\s*$/.test(source.slice(0, match.index))) {
      throw new TemplateError(`${file}: {{${name}}} is an unquoted attribute value; put it in quotes`);
    }
    parts.push(source.slice(last, match.index));
    names.push(name);
    last = match.index + match[0].length;
  }
  parts.push(source.slice(last));
  const stray = parts.find((part) => part.includes('{{'));
  if (stray !== undefined) {
    const at = stray.indexOf('{{');
    throw new TemplateError(`${file}: malformed placeholder near "${stray.slice(at, at + 40)}"`);
  }
  for (const name of required) {
    if (!names.includes(name)) throw new TemplateError(`${file}: missing placeholder {{${name}}}`);
  }
  return { parts, names, escape };
}

function fill(template: Template, values: Readonly<Record<string, string>>, raw: ReadonlySet<string> = new Set()): string {
  let out = template.parts[0]!;
  template.names.forEach((name, i) => {
    const value = values[name] ?? (name.startsWith(EXTRA_PREFIX) ? '' : undefined);
    if (value === undefined) throw new TemplateError(`no value for {{${name}}}`);
    out += (raw.has(name) ? value : template.escape(value)) + template.parts[i + 1]!;
  });
  return out;
}

/**
 * Reads and checks every template for every locale in `locales` (by default all of `LOCALES`, so
 * a locale added to the contract without its files fails here), each file from `templatesDir`
 * when it has it and from `templates/` otherwise. Throws `TemplateError`.
 */
export function loadMailTemplates(templatesDir?: string, locales: readonly string[] = LOCALES): MailTemplates {
  const files = templateFiles(templatesDir, locales);
  const load = (name: string, allowed: readonly string[], required: readonly string[]) => {
    const { text, file } = files.read(name);
    return parseTemplate(text, file, name.endsWith('.html') ? escapeHtml : asIs, allowed, required);
  };
  const byLocale = new Map<string, LocaleTemplates>();
  for (const locale of locales) {
    const subject = files.subject(locale);
    if (!subject) throw new TemplateError(`${join(DEFAULT_TEMPLATES_DIR, 'subjects.json')} ["${locale}"]: subject is missing`);
    byLocale.set(locale, {
      subject: parseTemplate(subject.text, subject.file, asIs, LOGIN_NAMES, ['code']),
      html: load(`login.${locale}.html`, LOGIN_NAMES, ['code', 'link']),
      text: load(`login.${locale}.txt`, LOGIN_NAMES, ['code', 'link']),
      duration: new Intl.NumberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'long' }),
      passkeyAdded: passkeyAddedTemplates(files, locale, load),
      // UTC, said so: the server does not know the reader's time zone.
      dateTime: new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }),
      account: accountTemplates(files, locale, load),
    });
  }
  return {
    layoutHtml: load('layout.html', LAYOUT_NAMES, ['content']),
    layoutText: load('layout.txt', LAYOUT_NAMES, ['content']),
    locales: byLocale,
    overridden: files.overridden,
  };
}

function passkeyAddedTemplates(files: ReturnType<typeof templateFiles>, locale: string, load: (name: string, allowed: readonly string[], required: readonly string[]) => Template): LocaleTemplates['passkeyAdded'] {
  const subject = files.passkeyAddedSubject(locale);
  if (!subject) throw new TemplateError(`${join(DEFAULT_TEMPLATES_DIR, 'passkey-added.subjects.json')} ["${locale}"]: subject is missing`);
  return {
    subject: parseTemplate(subject.text, subject.file, asIs, PASSKEY_ADDED_NAMES, []),
    html: load(`passkey-added.${locale}.html`, PASSKEY_ADDED_NAMES, ['device', 'time']),
    text: load(`passkey-added.${locale}.txt`, PASSKEY_ADDED_NAMES, ['device', 'time']),
  };
}

function accountTemplates(files: ReturnType<typeof templateFiles>, locale: string, load: (name: string, allowed: readonly string[], required: readonly string[]) => Template): LocaleTemplates['account'] {
  const entries = ACCOUNT_MAIL_FAMILIES.map((family) => {
    const subject = files.accountSubject(family, locale);
    if (!subject) throw new TemplateError(`${join(DEFAULT_TEMPLATES_DIR, `${family}.subjects.json`)} ["${locale}"]: subject is missing`);
    const { allowed, required } = ACCOUNT_NAMES[family];
    return [family, { subject: parseTemplate(subject.text, subject.file, asIs, allowed, []), html: load(`${family}.${locale}.html`, allowed, required), text: load(`${family}.${locale}.txt`, allowed, required) }] as const;
  });
  return Object.fromEntries(entries) as LocaleTemplates['account'];
}

const cache = new Map<string, MailTemplates>();

/** `loadMailTemplates` once per directory; later calls reuse the parsed templates. */
export function mailTemplates(templatesDir: string = DEFAULT_TEMPLATES_DIR): MailTemplates {
  const dir = resolve(templatesDir);
  let templates = cache.get(dir);
  if (!templates) {
    templates = loadMailTemplates(dir);
    cache.set(dir, templates);
  }
  return templates;
}

/** 4–12: looser than CODE_LENGTH's 6–10, so the configuration stays the one place that sets it. */
const CODE = /^[0-9]{4,12}$/;
const WHITESPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f-\u009f]/;

/** Throws when the link is not an absolute http(s) URL; the message never repeats the link. */
export function assertSafeLink(link: string): void {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new TypeError('mail link is not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`mail link must be http or https, not ${url.protocol.slice(0, 20)}`);
  }
  // Whitespace would cut the link short in text clients, which end a URL at the first space.
  if (WHITESPACE_OR_CONTROL.test(link)) throw new TypeError('mail link contains whitespace or control characters');
}

/** `rtl` for a right-to-left locale; set on the HTML document and on the cell around the body. */
function textDirection(locale: Locale): 'rtl' | 'ltr' {
  return RTL_LOCALES.includes(locale) ? 'rtl' : 'ltr';
}

function checkMail(mail: LoginMail): void {
  if (!CODE.test(mail.code)) throw new TypeError('mail code must be 4 to 12 digits');
  assertSafeLink(mail.link);
  if (!Number.isInteger(mail.expiresInMinutes) || mail.expiresInMinutes < 1) {
    throw new TypeError('mail expiresInMinutes must be a positive integer');
  }
  if (WHITESPACE_OR_CONTROL.test(mail.to) || !mail.to.includes('@')) {
    throw new TypeError('mail recipient is not a single address');
  }
  if (mail.extra !== undefined) parseMailExtra(mail.extra);
}

/**
 * Renders the login email for `mail.locale`. Throws `TypeError` for a value that must not go into a
 * mail (a non-http(s) link, a code that is not digits) and `TemplateError` for a broken template
 * directory or a locale without templates. Error messages never contain the code or the link.
 */
export function renderLoginMail(mail: LoginMail, options: { templatesDir?: string } = {}): RenderedMail {
  return renderWithTemplates(mailTemplates(options.templatesDir), mail);
}

/** Renders any mail the mailer sends: the login mail, or a notice. */
export function renderMail(mail: Mail, options: { templatesDir?: string } = {}): RenderedMail {
  return renderAnyWithTemplates(mailTemplates(options.templatesDir), mail);
}

/** `renderMail` with templates already loaded: the preview page loads them fresh on each view. */
export function renderAnyWithTemplates(templates: MailTemplates, mail: Mail): RenderedMail {
  if (!('kind' in mail)) return renderWithTemplates(templates, mail);
  return mail.kind === 'passkey_added' ? renderPasskeyAddedMail(templates, mail) : renderAccountMail(templates, mail);
}

/** An account mail in `mail.locale`; throws `TypeError` for a value that must not go into a mail. */
export function renderAccountMail(templates: MailTemplates, mail: AccountMail): RenderedMail {
  const forLocale = localeTemplates(templates, mail.locale);
  if (WHITESPACE_OR_CONTROL.test(mail.to) || !mail.to.includes('@')) throw new TypeError('mail recipient is not a single address');
  const values: Record<string, string> = { email: mail.to };
  if (mail.kind === 'email_change_code' || mail.kind === 'deletion_code') {
    if (!CODE.test(mail.code)) throw new TypeError('mail code must be 4 to 12 digits');
    if (!Number.isInteger(mail.expiresInMinutes) || mail.expiresInMinutes < 1) throw new TypeError('mail expiresInMinutes must be a positive integer');
    Object.assign(values, { code: mail.code, duration: forLocale.duration.format(mail.expiresInMinutes) });
  } else if (mail.kind === 'email_changed') {
    assertSafeLink(mail.link);
    if (WHITESPACE_OR_CONTROL.test(mail.newEmail) || !mail.newEmail.includes('@')) throw new TypeError('the new address is not a single address');
    if (!Number.isFinite(mail.changedAt)) throw new TypeError('changedAt must be a time');
    Object.assign(values, { newEmail: mail.newEmail, link: mail.link, time: `${forLocale.dateTime.format(mail.changedAt)} UTC` });
  } else if (mail.kind === 'totp_enabled' || mail.kind === 'totp_disabled') {
    if (!Number.isFinite(mail.at)) throw new TypeError('at must be a time');
    values.time = `${forLocale.dateTime.format(mail.at)} UTC`;
  }
  return inLayout(templates, mail.locale, forLocale.account[ACCOUNT_FAMILY[mail.kind]], values);
}

/** A passkey's name is the owner's text (64 characters at most); one line, so safe in a subject and a text body. */
const DEVICE_NAME = /^[^\u0000-\u001f\u007f-\u009f]{1,64}$/;

/** The "a passkey was added" notice in `mail.locale`; throws `TypeError` for a value that must not go into a mail. */
export function renderPasskeyAddedMail(templates: MailTemplates, mail: PasskeyAddedMail): RenderedMail {
  const forLocale = localeTemplates(templates, mail.locale);
  if (WHITESPACE_OR_CONTROL.test(mail.to) || !mail.to.includes('@')) throw new TypeError('mail recipient is not a single address');
  if (!DEVICE_NAME.test(mail.deviceName)) throw new TypeError('passkey name must be 1 to 64 characters without control characters');
  if (!Number.isFinite(mail.addedAt)) throw new TypeError('passkey addedAt must be a time');
  const values = { device: mail.deviceName, time: `${forLocale.dateTime.format(mail.addedAt)} UTC`, email: mail.to };
  return inLayout(templates, mail.locale, forLocale.passkeyAdded, values);
}

/** The login mail from templates already loaded (`renderLoginMail` loads them; `renderAnyWithTemplates` is handed them). */
function renderWithTemplates(templates: MailTemplates, mail: LoginMail): RenderedMail {
  const forLocale = localeTemplates(templates, mail.locale);
  checkMail(mail);
  const extras = Object.fromEntries(Object.entries(mail.extra ?? {}).map(([key, value]) => [EXTRA_PREFIX + key, value]));
  const values = {
    ...extras,
    code: mail.code,
    link: mail.link,
    email: mail.to,
    duration: forLocale.duration.format(mail.expiresInMinutes),
  };
  // The layout sees the extras too: an operator's layout may carry {{extra.<key>}}.
  return inLayout(templates, mail.locale, forLocale, values, extras);
}

/** A locale's templates, or the TemplateError of a locale that has none. */
function localeTemplates(templates: MailTemplates, locale: Locale): LocaleTemplates {
  const forLocale = templates.locales.get(locale);
  if (!forLocale) throw new TemplateError(`no mail templates for locale "${String(locale).slice(0, 20)}"`);
  return forLocale;
}

/**
 * A mail from its templates: the subject filled, the body filled and set in the layout, HTML and
 * text. `content` goes in raw: it is the body already filled (and escaped where HTML).
 */
function inLayout(templates: MailTemplates, locale: Locale, template: TemplateSet, values: Record<string, string>, layoutExtras: Record<string, string> = {}): RenderedMail {
  const subject = fill(template.subject, values);
  const layoutValues = { ...layoutExtras, subject, lang: locale, dir: textDirection(locale) };
  const raw = new Set(['content']);
  return {
    subject,
    html: fill(templates.layoutHtml, { ...layoutValues, content: fill(template.html, values).trimEnd() }, raw),
    text: fill(templates.layoutText, { ...layoutValues, content: fill(template.text, values).trimEnd() }, raw),
  };
}
