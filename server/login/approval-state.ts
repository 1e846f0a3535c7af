/**
 * Pure functions over one sequence's cross-device approval (store/types.ts `ApprovalRecord`).
 * They run inside `Store.updateLogin` with the rest of the login state, so they stay synchronous.
 */
import { randomInt } from 'node:crypto';
import type { Hasher } from '../secrets/hasher.ts';
import type { ApprovalRecord } from '../store/types.ts';

/**
 * How long the asking browser may go unseen before it counts as gone: its long poll re-checks
 * the store every 5 s (approval/approval-waits.ts), each check marks it seen, and 15 s more cover
 * a reconnect between two polls. Past it the phone is told "the other device stopped waiting".
 */
export const APPROVAL_GONE_MS = 20_000;

/** The numbers shown: two digits, 10 to 99 (90 of them), so a guess among three choices is the only shortcut. */
export const APPROVAL_NUMBER_MIN = 10;
export const APPROVAL_NUMBER_MAX = 99;
const LOWEST = APPROVAL_NUMBER_MIN;
const COUNT = APPROVAL_NUMBER_MAX - APPROVAL_NUMBER_MIN + 1;

export function drawApprovalNumber(): number {
  return LOWEST + randomInt(COUNT);
}

export function newApproval(keyHash: string, number: number, device: string, now: number): ApprovalRecord {
  return { keyHash, number, device, seenAt: now, approvedAt: null, refusedAt: null, collectedAt: null };
}

/** The asking browser was seen recently enough to be waiting still. */
export function isWaiting(approval: ApprovalRecord, now: number): boolean {
  return now - approval.seenAt <= APPROVAL_GONE_MS;
}

/**
 * The three choices the phone shows: the right number and two others, in an order and with
 * decoys derived from the sequence (a keyed hash of its id), so every ask gets the same three.
 * Drawn afresh on each ask, the right number would be the one present in every answer, and two
 * asks by a scanner holding the link would tell it.
 */
export function approvalChoices(hash: Hasher, sequenceId: string, number: number): number[] {
  const bytes = Buffer.from(hash(`approval-choices:${sequenceId}`), 'base64url');
  const choices = [number];
  for (let i = 0; choices.length < 3; i++) {
    const candidate = LOWEST + (bytes.readUInt16BE((2 * i) % (bytes.length - 1)) + i) % COUNT;
    if (!choices.includes(candidate)) choices.push(candidate);
  }
  // Where the right one stands: 0, 1 or 2, from the last byte.
  const place = bytes[bytes.length - 1]! % 3;
  [choices[0], choices[place]] = [choices[place]!, choices[0]!];
  return choices;
}
