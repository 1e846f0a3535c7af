/**
 * The proof that a magic link comes back to the browser that asked for it.
 *
 * Each request sends `clientHash` = base64url(SHA-256(secret)), with 32 fresh random bytes as the
 * secret kept here; the server echoes the hash in the link (`pl_client`). Only this browser can
 * produce a matching hash from its storage, so it may finish at once, while a mail scanner or
 * another device must click "Continue" (a GET never signs anyone in). It is a convenience, not a
 * credential: the link token alone is what the server checks.
 *
 * `crypto.subtle` exists only in secure contexts (https, localhost): on a plain-http page the
 * request goes without `clientHash`, and the link needs the click.
 */
import { readJson, writeJson } from './storage.ts';

interface PendingRequest {
  secret: string;
  email: string;
  /** Milliseconds since the epoch. */
  at: number;
}

/** A resend keeps earlier links valid, so earlier secrets are kept too: up to 5, for a day. */
const KEEP = 5;
const MAX_AGE_MS = 24 * 60 * 60 * 1000;

const key = (apiBase: string) => `passwordless-login:pending:${apiBase}`;

export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export async function hashSecret(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret));
  return base64url(new Uint8Array(digest));
}

/**
 * A fresh secret for one request, with the hash to send, or null where hashing is unavailable or
 * fails. Call {@link rememberSecret} once the request is accepted.
 */
export async function newSecret(): Promise<{ secret: string; clientHash: string } | null> {
  try {
    const secret = base64url(crypto.getRandomValues(new Uint8Array(32)));
    return { secret, clientHash: await hashSecret(secret) };
  } catch {
    return null;
  }
}

export function rememberSecret(apiBase: string, secret: string, email: string, now = Date.now()): void {
  const kept = pending(apiBase, now);
  writeJson(key(apiBase), [{ secret, email, at: now }, ...kept].slice(0, KEEP));
}

/** Whether `clientHash` (from the link) belongs to a request this browser made. */
export async function isOwnRequest(apiBase: string, clientHash: string | null, now = Date.now()): Promise<boolean> {
  if (!clientHash) return false;
  try {
    const hashes = await Promise.all(pending(apiBase, now).map((p) => hashSecret(p.secret)));
    return hashes.includes(clientHash);
  } catch {
    return false;
  }
}

/** Once signed in, the pending secrets have done their job. */
export function forgetSecrets(apiBase: string): void {
  writeJson(key(apiBase), []);
}

function pending(apiBase: string, now: number): PendingRequest[] {
  const value = readJson(key(apiBase));
  if (!Array.isArray(value)) return [];
  return value.filter(
    (p: Partial<PendingRequest>): p is PendingRequest =>
      typeof p?.secret === 'string' && typeof p.at === 'number' && now - p.at < MAX_AGE_MS,
  );
}
