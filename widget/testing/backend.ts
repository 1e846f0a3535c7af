/** Browser-side helpers for the test-only routes of widget/testing/test-backend.mjs. */
import type { DevMail } from '../../server/mail/types.ts';

let counter = 0;

/** A fresh address per test, so tests never share a login sequence or a rate limit. */
export function uniqueEmail(tag: string): string {
  return `${tag}-${Date.now().toString(36)}-${++counter}@example.com`;
}

/** The newest mail to `email`, once mail in flight has been sent. */
export async function mailTo(email: string): Promise<DevMail & { code: string; link: string }> {
  const response = await fetch(`/__test/mail?to=${encodeURIComponent(email)}`);
  if (!response.ok) throw new Error(`no mail to ${email}`);
  const mail = (await response.json()) as DevMail;
  if (!mail.code || !mail.link) throw new Error(`the mail to ${email} has no code or link`);
  return mail as DevMail & { code: string; link: string };
}

/** Every mail to `email`, newest first, once mail in flight has been sent: notices without a code too (an address changed). */
export async function mailsTo(email: string): Promise<DevMail[]> {
  const response = await fetch(`/__test/mail?to=${encodeURIComponent(email)}&all=1`);
  return response.ok ? ((await response.json()) as DevMail[]) : [];
}

export async function mailCount(email: string): Promise<number> {
  return (await mailsTo(email)).length;
}

/** The code of the newest mail to `email` that has one: an account change's code mail has no link. */
export async function codeTo(email: string): Promise<string> {
  const code = (await mailsTo(email)).find((mail) => mail.code)?.code;
  if (!code) throw new Error(`no mail with a code to ${email}`);
  return code;
}

/** Moves the backend's clock (resend limits, expiry); the widget's clock is separate. */
export async function advanceServerClock(ms: number): Promise<void> {
  const response = await fetch(`/__test/clock/advance?ms=${ms}`, { method: 'POST' });
  if (!response.ok) throw new Error('could not move the server clock');
}

/** The `/totp-auth` backend's time (ms): moved with the others by {@link advanceServerClock}, so an app's code is computed for it. */
export async function serverNow(): Promise<number> {
  const response = await fetch('/__test/clock');
  if (!response.ok) throw new Error('could not read the server clock');
  return ((await response.json()) as { now: number }).now;
}

/**
 * The `/busy-auth` backend's mail queue holds one mail: `holdBusyMail()` stalls its sending and
 * fills the queue with one request, so its next code request is `503 mail_busy`;
 * `releaseBusyMail()` lets it go and resolves once it has gone.
 */
export async function holdBusyMail(): Promise<void> {
  if (!(await fetch('/__test/busy/hold', { method: 'POST' })).ok) throw new Error('could not hold the busy backend');
  const filling = await fetch('/busy-auth/request', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: uniqueEmail('fills-the-queue') }),
  });
  if (filling.status !== 202) throw new Error(`the request that fills the queue answered ${filling.status}`);
}

export async function releaseBusyMail(): Promise<void> {
  if (!(await fetch('/__test/busy/release', { method: 'POST' })).ok) throw new Error('could not release the busy backend');
}

/** The waits for an approval in progress on the `/approval-auth` backend (or the default `/auth` one). */
export async function approvalWaits(backend: 'approval' | 'auth' = 'approval'): Promise<number> {
  const response = await fetch(`/__test/approval-waits?backend=${backend}`);
  return ((await response.json()) as { waits: number }).waits;
}
