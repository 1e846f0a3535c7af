/** Times and numbers as the console shows them: English, the reader's time zone, no seconds. */
const dateTime = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });
const dayMonth = new Intl.DateTimeFormat('en', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const number = new Intl.NumberFormat('en');

export const when = (iso: string | null, never = 'never'): string => (iso ? dateTime.format(new Date(iso)) : never);
/** `2026-12-07` → `7 Dec` (the overview's days are UTC days). */
export const day = (isoDay: string): string => dayMonth.format(new Date(`${isoDay}T00:00:00Z`));
export const count = (n: number): string => number.format(n);
export const plural = (n: number, one: string, many: string): string => `${count(n)} ${n === 1 ? one : many}`;
