/**
 * `extra`: the host's own values for one login mail (Meteor's `sendLoginTokenEmail({ extra })`),
 * which an operator's templates show as `{{extra.<key>}}` (render.ts).
 *
 * The limits keep a mail what it is — a short message with a code — and keep the values safe in
 * every place a template may put them: at most 20 values of at most 500 characters each, keys a
 * placeholder can name, and no control characters, because the subject is a mail header and the
 * text part inserts values unescaped. Numbers become their decimal text, so the worker thread and
 * the templates only ever see strings.
 */

/** The checked values, by key; every value a string. */
export type MailExtra = Readonly<Record<string, string>>;

const MAX_EXTRA_VALUES = 20;
const MAX_EXTRA_LENGTH = 500;
/** The same shape as a placeholder name, so every key can be used as `{{extra.<key>}}`. */
const EXTRA_KEY = /^[A-Za-z][A-Za-z0-9_]*$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Checks and copies `extra`. Throws a `TypeError` whose message says which key is wrong and why;
 * it never repeats a value (a host may pass personal data in them).
 */
export function parseMailExtra(extra: unknown): MailExtra {
  const prototype = typeof extra === 'object' && extra !== null ? Object.getPrototypeOf(extra) : undefined;
  if (prototype !== Object.prototype && prototype !== null) throw new TypeError('extra must be a plain object of strings and numbers');
  const entries = Object.entries(extra as object);
  if (entries.length > MAX_EXTRA_VALUES) throw new TypeError(`extra has ${entries.length} values; at most ${MAX_EXTRA_VALUES} are allowed`);
  // No prototype: a key such as `constructor` is a key like any other.
  const checked: Record<string, string> = Object.create(null);
  for (const [key, value] of entries) {
    if (!EXTRA_KEY.test(key)) throw new TypeError(`extra key ${JSON.stringify(key.slice(0, 40))} must be a letter followed by letters, digits or _`);
    if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
      throw new TypeError(`extra.${key} must be a string or a finite number`);
    }
    const text = String(value);
    if (text.length > MAX_EXTRA_LENGTH) throw new TypeError(`extra.${key} is longer than ${MAX_EXTRA_LENGTH} characters`);
    if (CONTROL.test(text)) throw new TypeError(`extra.${key} contains a line break or another control character`);
    checked[key] = text;
  }
  return checked;
}
