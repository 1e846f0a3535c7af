/**
 * The hint that a magic link comes back to the browser that asked for it.
 *
 * Each request sends `clientHash`: 32 fresh random bytes, base64url (43 characters), kept here;
 * the server echoes it in the link (`pl_client`). A link whose value this browser kept may finish
 * at once, while a mail scanner or another device must click "Continue" (a GET never signs anyone
 * in). It is a hint, not a credential: the server echoes whatever a client sends, and the link
 * token alone is what it checks. So the value is compared as it is, with no hashing: hashing would
 * protect nothing, and `crypto.subtle` does not exist on plain-http pages, where
 * `crypto.getRandomValues` does.
 */
import { readJson, writeJson } from '../session/storage.ts';

interface PendingRequest {
  secret: string;
  /** Milliseconds since the epoch. */
  at: number;
}

/** A resend keeps earlier links valid, so earlier values are kept too: up to 5, for a day. */
const KEEP = 5;
const MAX_AGE_MS = 24 * 60 * 60 * 1000;

const key = (apiBase: string) => `passwordless-login:pending:${apiBase}`;

/** A fresh value for one request's `clientHash`. Call {@link rememberSecret} once the request is accepted. */
export function newSecret(): string {
  return base64url32(crypto.getRandomValues(new Uint8Array(32)));
}

/** 32 bytes (a secret, a SHA-256) in base64url: 44 base64 characters, the last one the padding `=`: 43 remain. */
export function base64url32(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').slice(0, 43);
}

export function rememberSecret(apiBase: string, secret: string, now = Date.now()): void {
  writeJson(key(apiBase), [{ secret, at: now }, ...pending(apiBase, now)].slice(0, KEEP));
}

/** Whether `clientHash` (from the link) is one this browser sent for this API. */
export function isOwnRequest(apiBase: string, clientHash: string | null, now = Date.now()): boolean {
  return pending(apiBase, now).some((p) => p.secret === clientHash);
}

/** Once signed in, the pending values have done their job. */
export function forgetSecrets(apiBase: string): void {
  writeJson(key(apiBase), []);
}

function pending(apiBase: string, now: number): PendingRequest[] {
  const value = readJson(key(apiBase));
  return Array.isArray(value)
    ? value.filter((p: Partial<PendingRequest>) => typeof p?.secret === 'string' && now - p.at! < MAX_AGE_MS)
    : [];
}
