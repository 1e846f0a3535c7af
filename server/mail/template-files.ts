/**
 * Where each mail template file comes from: an operator's directory (`TEMPLATES_DIR`) replaces
 * the built-in `templates/` file by file, and every file it does not have is the built-in one, so
 * changing the English wording takes one file, not a copy of all of them that goes stale on upgrade.
 * Each `*.subjects.json` is merged the same way, locale by locale.
 *
 * The directory is checked whole: it must exist, and every file in it must be one the mailer
 * reads (dot files aside). A misspelt `login.EN.html` or `subject.json` would otherwise be ignored
 * without a word, and the operator would wonder why their wording never shows.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packagePath } from '../assets/package-files.ts';

// From the package root, not from this file: the sources (server/mail/) and the compiled entry
// (dist/server/mail/, `passwordless-login/server`) sit at different depths (package-files.ts).
export const DEFAULT_TEMPLATES_DIR = packagePath('templates/');

/**
 * The account mails (account/account-service.ts), each a family of files like the passkey
 * notice's: `<family>.<locale>.html`, `<family>.<locale>.txt` and `<family>.subjects.json`.
 */
export const ACCOUNT_MAIL_FAMILIES = ['email-change-code', 'email-taken', 'email-changed', 'deletion-code', 'totp-enabled', 'totp-disabled'] as const;
export type AccountMailFamily = (typeof ACCOUNT_MAIL_FAMILIES)[number];

/** The subjects of the login mail, of the passkey notice and of the account mails, each locale → subject. */
const SUBJECT_FILES = ['subjects.json', 'passkey-added.subjects.json', ...ACCOUNT_MAIL_FAMILIES.map((family) => `${family}.subjects.json` as const)] as const;

/** A template directory that cannot be used; the message names the file and what is wrong. */
export class TemplateError extends Error {
  override name = 'TemplateError';
}

/** A template's text and the file it came from (error messages and the preview name it). */
export interface TemplateSource {
  text: string;
  file: string;
}

export interface TemplateFiles {
  /** `layout.html`, `login.en.txt`…: from the override directory when it has the file. */
  read(name: string): TemplateSource;
  /** The locale's subject, or null when neither `subjects.json` has one. */
  subject(locale: string): TemplateSource | null;
  /** The same for the "a passkey was added" notice, from `passkey-added.subjects.json`. */
  passkeyAddedSubject(locale: string): TemplateSource | null;
  /** The same for an account mail, from `<family>.subjects.json`. */
  accountSubject(family: AccountMailFamily, locale: string): TemplateSource | null;
  /** The file names taken from the override directory. */
  overridden: readonly string[];
}

function readTemplateFile(dir: string, name: string): string {
  try {
    return readFileSync(join(dir, name), 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file is missing' : (error as Error).message;
    throw new TemplateError(`mail template ${join(dir, name)}: ${reason}`);
  }
}

function readSubjects(dir: string, name: string, locales: readonly string[], isOverride: boolean): Map<string, unknown> {
  const file = join(dir, name);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readTemplateFile(dir, name));
  } catch (error) {
    if (error instanceof TemplateError) throw error;
    throw new TemplateError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TemplateError(`${file}: must be an object of locale → subject`);
  }
  const subjects = new Map(Object.entries(parsed));
  // An override names only the locales it changes; a key that is no locale is a typo.
  const unknown = !isOverride ? undefined : [...subjects.keys()].find((locale) => !locales.includes(locale));
  if (unknown !== undefined) throw new TemplateError(`${file}: "${unknown.slice(0, 20)}" is not a locale (${locales.join(', ')})`);
  return subjects;
}

/** The names of the override directory's files; throws for a missing directory or a stray file. */
function overrideFileNames(dir: string, expected: ReadonlySet<string>): Set<string> {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new TemplateError(`templates directory ${dir}: not a directory`);
    names = readdirSync(dir);
  } catch (error) {
    if (error instanceof TemplateError) throw error;
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : (error as Error).message;
    throw new TemplateError(`templates directory ${dir}: ${reason}`);
  }
  const found = new Set<string>();
  for (const name of names) {
    if (name.startsWith('.')) continue;
    if (!expected.has(name)) {
      throw new TemplateError(`${join(dir, name)}: not a mail template (expected layout.html, layout.txt, subjects.json, login.<locale>.html, login.<locale>.txt, or <family>.subjects.json, <family>.<locale>.html or <family>.<locale>.txt for the families ${['passkey-added', ...ACCOUNT_MAIL_FAMILIES].join(', ')})`);
    }
    found.add(name);
  }
  return found;
}

/**
 * The files for `locales`, read from `overrideDir` where it has them and from `templates/`
 * otherwise (`overrideDir` undefined, or `templates/` itself: the built-ins alone). Throws
 * `TemplateError`; files are read when asked for, `subjects.json` at once.
 */
export function templateFiles(overrideDir: string | undefined, locales: readonly string[]): TemplateFiles {
  const builtIn = resolve(DEFAULT_TEMPLATES_DIR);
  const dir = overrideDir === undefined || resolve(overrideDir) === builtIn ? null : resolve(overrideDir);
  const families = ['login', 'passkey-added', ...ACCOUNT_MAIL_FAMILIES];
  const expected = new Set(['layout.html', 'layout.txt', ...SUBJECT_FILES, ...locales.flatMap((l) => families.flatMap((family) => [`${family}.${l}.html`, `${family}.${l}.txt`]))]);
  const present = dir === null ? new Set<string>() : overrideFileNames(dir, expected);
  const subjectsOf = (name: string) => {
    const builtInSubjects = readSubjects(builtIn, name, locales, false);
    const overrideSubjects = dir !== null && present.has(name) ? readSubjects(dir, name, locales, true) : new Map<string, unknown>();
    const subject = (from: string, subjects: Map<string, unknown>, locale: string): TemplateSource => {
      const file = `${join(from, name)} ["${locale}"]`;
      const text = subjects.get(locale);
      if (typeof text !== 'string') throw new TemplateError(`${file}: subject is not a string`);
      return { text, file };
    };
    return (locale: string): TemplateSource | null => {
      if (overrideSubjects.has(locale)) return subject(dir!, overrideSubjects, locale);
      return builtInSubjects.has(locale) ? subject(builtIn, builtInSubjects, locale) : null;
    };
  };
  const [loginSubject, passkeyAddedSubject, ...accountSubjects] = SUBJECT_FILES.map(subjectsOf) as [ReturnType<typeof subjectsOf>, ...ReturnType<typeof subjectsOf>[]];
  return {
    read(name) {
      const from = dir !== null && present.has(name) ? dir : builtIn;
      return { text: readTemplateFile(from, name), file: join(from, name) };
    },
    subject: loginSubject,
    passkeyAddedSubject: passkeyAddedSubject!,
    accountSubject: (family, locale) => accountSubjects[ACCOUNT_MAIL_FAMILIES.indexOf(family)]!(locale),
    overridden: [...present].sort(),
  };
}
