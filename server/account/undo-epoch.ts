/**
 * A user's undo epoch: how many times a change of their address was undone. Every undo link
 * carries the epoch of its change (undo-token.ts); an undo claims that epoch (Store.claimOnce,
 * atomic across instances), so every link made before it, the one used included, stops working,
 * and the links of later changes carry the next epoch. So after a thief's A→B→C, A's link brings
 * A back and B's link (in the thief's mailbox) is dead from then on.
 *
 * The epoch is not stored as a number: it is the first of the user's claim keys not held. A probe
 * asks Store.claimOnce with an expiry already past: every store answers whether the key is held
 * and keeps nothing (JSON and PostgreSQL keep an expired claim until the sweep; Redis deletes a key
 * set with a past expiry at once). Each held key is an HMAC of the user id and the number, so it
 * names no one once the user is erased; it is kept 100 years, since a lost one would make the
 * probe answer an older epoch. One key per undo: a user undoes a handful in a lifetime.
 */
import type { LoginContext } from '../login/login-context.ts';

type EpochContext = Pick<LoginContext, 'store' | 'hash'>;

/** 100 years, in ms: the claims of an epoch stay (see above). */
const EPOCH_KEPT_MS = 100 * 365 * 86_400_000;

/** An expiry in the past (1 ms after 1970): a claim that keeps nothing, a read. */
const PROBE_EXPIRY = 1;

function epochKey({ hash }: EpochContext, userId: string, epoch: number): string {
  return `email-change-undo:${hash(`email-change-undo-epoch:${userId}:${epoch}`)}`;
}

/** Whether an undo of `userId` claimed `epoch` already. */
export async function epochSpent(context: EpochContext, userId: string, epoch: number): Promise<boolean> {
  return !(await context.store.claimOnce(epochKey(context, userId, epoch), PROBE_EXPIRY));
}

/** The user's epoch now: the links of a change confirmed now carry it. */
export async function currentUndoEpoch(context: EpochContext, userId: string): Promise<number> {
  let epoch = 0;
  while (await epochSpent(context, userId, epoch)) epoch++;
  return epoch;
}

/** Claims `epoch` for an undo; false when another undo of the user claimed it first. */
export function spendEpoch(context: EpochContext, userId: string, epoch: number, now: number): Promise<boolean> {
  return context.store.claimOnce(epochKey(context, userId, epoch), now + EPOCH_KEPT_MS);
}
