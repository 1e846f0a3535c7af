/**
 * Cross-device approval over HTTP, for the tests: the asking browser's secret and key, its
 * request and its waits, and the phone's describe and approve, against a harness (harness.ts).
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { postJson, tokenOf, type JsonAnswer } from './api-client.ts';
import { requestCode } from './attack-kit.ts';
import type { Harness } from './harness.ts';

/** 32 random bytes the asking browser keeps, and the SHA-256 of those bytes it sends (`approvalKey`). */
export function approvalSecret(): { secret: string; key: string } {
  const bytes = randomBytes(32);
  return { secret: bytes.toString('base64url'), key: createHash('sha256').update(bytes).digest('base64url') };
}

export interface AskedApproval {
  /** The ticket's id and number from the 202. */
  id: string;
  number: number;
  secret: string;
  key: string;
  /** The mailed link's token (the phone holds it) and code. */
  token: string;
  code: string;
  link: string;
}

/** Asks for a code with an approval key (202, one mail) from `userAgent`'s browser. */
export async function askWithApproval(h: Harness, email: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<AskedApproval> {
  const { secret, key } = approvalSecret();
  const { answer, link, code } = await requestCode(h, email, { approvalKey: key, ...extra }, headers);
  assert.ok(answer.body.approval, 'the answer carries the approval ticket');
  return { id: answer.body.approval.id, number: answer.body.approval.number, secret, key, token: tokenOf(link), code, link };
}

export const describeApproval = (h: Harness, token: string, headers: Record<string, string> = {}): Promise<JsonAnswer> => postJson(h.api('/approval/describe'), { token }, headers);
export const approve = (h: Harness, token: string, number: number, headers: Record<string, string> = {}): Promise<JsonAnswer> => postJson(h.api('/approval/approve'), { token, number }, headers);
export const waitFor = (h: Harness, id: string, secret: string, headers: Record<string, string> = {}): Promise<JsonAnswer> => postJson(h.api('/approval/wait'), { id, secret }, headers);

/** A number from 10 to 99 other than `number`. */
export function wrongNumber(number: number): number {
  return number === 99 ? 10 : number + 1;
}

/** Resolves once `h`'s server holds `count` waits asleep after their first look: only a wake (or the 5 s re-check) moves them now. */
export async function waitsInProgress(h: Harness, count: number): Promise<void> {
  for (let i = 0; h.server.backend.approvals.asleep < count; i++) {
    if (i > 2000) throw new Error(`the server never held ${count} waits (it holds ${h.server.backend.approvals.asleep})`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
