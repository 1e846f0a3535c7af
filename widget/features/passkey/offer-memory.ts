/**
 * Whether this browser has answered the passkey offer lately ("Not now", or a passkey added): then
 * it is not offered again for 30 days. 30 because a person who signs in by email every few days
 * should be asked about once a month, not at each sign-in (a refused offer at every login reads as
 * nagging), while one who said "Not now" on a busy day, or has since switched on a screen lock,
 * meets it again before long. Per API base and user, in localStorage: two people who share a
 * browser each answer for themselves; where storage is blocked it lasts as long as the page.
 */
import { readJson, writeJson } from '../../session/storage.ts';

export const OFFER_QUIET_DAYS = 30;
const DAY_MS = 86_400_000;

const key = (apiBase: string, userId: string) => `passwordless-login:passkey-offer:${apiBase}:${userId}`;

/** Remembers an answer given at `now` (milliseconds since the epoch). */
export function rememberOfferAnswered(apiBase: string, userId: string, now: number): void {
  writeJson(key(apiBase, userId), { until: now + OFFER_QUIET_DAYS * DAY_MS });
}

/** Whether an answer given within the last 30 days keeps the offer quiet at `now`. */
export function offerAnsweredLately(apiBase: string, userId: string, now: number): boolean {
  const value = readJson(key(apiBase, userId)) as { until?: unknown } | null;
  return typeof value?.until === 'number' && value.until > now;
}
