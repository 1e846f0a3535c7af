/**
 * Cross-device approval: the phone holding the link approves the browser that asked, which then
 * collects the session (docs/login-rules.md#approval-from-another-device).
 *
 * Why each rule holds:
 * - A describe spends nothing; an approve is one `updateLogin` change, like a verify: the number
 *   is compared, the attempt counted, and the sequence marked used in the same atomic change, so
 *   two approves of one link approve at most once, and an approved link no longer signs in the
 *   phone (the phone gets no session: the session is made only when the asking browser collects).
 * - A wrong number refuses this approval for good and counts as a wrong attempt under the same
 *   cap as a wrong code (countFailure), and it pauses approvals for the address until the owner
 *   signs in (`approvalsPausedAt`): a phisher who sends prompt after prompt gets one guess in
 *   three in all, not one per mail (five mails an hour at one in three would pass 87 % of the
 *   time). The link itself still signs in where it is opened ("sign in here"), unless that wrong
 *   attempt was the last the cap allows: then every code is void, as after five wrong codes.
 * - The waiting browser learns nothing a stranger could use: a sequence burnt by wrong codes or
 *   signed in another way waits on until its expiry, exactly as a ticket for an unknown address
 *   does (an attacker can ask with its own approval key and burn the codes with wrong ones).
 * - Only the asking browser collects: it shows the secret whose SHA-256 it sent with its request
 *   (approval-ticket.ts), and the collection is marked in one change, so two concurrent waits
 *   make one session.
 */
import { ApiError, type ApiErrorEntry, type VerifyResponse } from '../../contract/index.ts';
import type { ApprovalDescription } from '../../contract/approval.ts';
import { sameHash } from '../secrets/hasher.ts';
import type { LoginState, SequenceRecord } from '../store/types.ts';
import { approvalChoices, isWaiting } from './approval-state.ts';
import { openTicket, secretMatches, type SealedTicket } from './approval-ticket.ts';
import type { LoginContext } from './login-context.ts';
import { LoginError } from './login-error.ts';
import { consumeAll, countFailure, findSequence, prune } from './login-state.ts';
import type { SecondFactorChallenge } from '../../contract/second-factor.ts';
import { finishLogin } from './verify-login.ts';

/** What a wait's check found: still waiting, refused, or signed in (the session made now, once). */
/** `second_factor`: approved, for an account with a second factor: its ticket instead of the session. */
export type ApprovalCheck = { status: 'waiting' | 'refused' } | { status: 'approved'; answer: VerifyResponse } | { status: 'second_factor'; challenge: SecondFactorChallenge };

/** A refusal; `wake`: the sequence whose waiting browser should hear of it now (a wrong number). */
type Refusal = { refuse: ApiErrorEntry; details?: { attemptsLeft: number }; wake?: string };

/** Runs `decide` on the live sequence of the link `token` inside one `updateLogin`; the refusals of a link are decided here. */
/** `key` is handed to `before`, whose answer `decide` gets: what must be read before the atomic change. */
async function onLinkSequence<T extends object, B = undefined>(
  context: LoginContext,
  token: string,
  decide: (state: LoginState, sequence: SequenceRecord, now: number, read: B) => T | Refusal,
  before?: (key: string) => Promise<B>,
): Promise<T> {
  const { store, clock, hash, rules } = context;
  const now = clock.now();
  const tokenHash = hash(`link:${token}`);
  const key = await store.findLoginKeyByTokenHash(tokenHash);
  if (!key) throw LoginError.of(ApiError.invalidLink);
  const read = (before ? await before(key) : undefined) as B;
  const outcome = await store.updateLogin<T | Refusal>(key, (current) => {
    if (!current) return { next: null, result: { refuse: ApiError.invalidLink } };
    const state = prune(current, now, rules);
    const match = findSequence(state.sequences, (s) => sameHash(s.tokenHash, tokenHash));
    if (!match || match.usedAt !== null || match.burntAt !== null) return { next: state, result: { refuse: ApiError.invalidLink } };
    if (match.expiresAt <= now) return { next: state, result: { refuse: ApiError.expiredCode } };
    return { next: state, result: decide(state, match, now, read) };
  });
  if ('refuse' in outcome) throw Object.assign(LoginError.of(outcome.refuse, outcome.details), { wake: outcome.wake });
  return outcome;
}

/** The refusal when this sequence cannot be approved now, else null. */
function notApprovable(state: LoginState, sequence: SequenceRecord, now: number): Refusal | null {
  const { approval } = sequence;
  if (approval?.refusedAt != null) return { refuse: ApiError.approvalRefused };
  if (state.approvalsPausedAt !== undefined) return { refuse: ApiError.approvalsPaused };
  if (!approval || !isWaiting(approval, now)) return { refuse: ApiError.approvalNotWaiting };
  return null;
}

/** What is asking, for the phone: changes nothing (the state is written back as it was read). */
export async function describeApproval(context: LoginContext, token: string): Promise<ApprovalDescription> {
  return onLinkSequence<ApprovalDescription>(context, token, (state, sequence, now) => {
    const refusal = notApprovable(state, sequence, now);
    if (refusal) return refusal;
    const approval = sequence.approval!;
    return {
      device: approval.device,
      askedAt: new Date(sequence.createdAt).toISOString(),
      secondsAgo: Math.max(0, Math.floor((now - sequence.createdAt) / 1000)),
      choices: approvalChoices(context.hash, sequence.id, approval.number),
    };
  });
}

/**
 * The phone picks `number`: right, the sequence is approved and used; wrong, refused for good and
 * counted. Returns the sequence's id (what waits listen on); `wake` is called with it on a wrong
 * number too, so the waiting browser says "refused" at once rather than at its next 5 s look.
 */
export async function approveLogin(context: LoginContext, token: string, number: number, wake?: (sequenceId: string) => Promise<void>): Promise<string> {
  const { rules, metrics } = context;
  try {
    const { sequenceId } = await onLinkSequence<{ sequenceId: string }, boolean>(context, token, (state, sequence, now, secondStep) => {
      const refusal = notApprovable(state, sequence, now);
      if (refusal) return refusal;
      const approval = sequence.approval!;
      if (number !== approval.number) {
        approval.refusedAt = now;
        state.approvalsPausedAt = now;
        // Counted where the wrong pick happens, once (not on each later describe of it).
        metrics?.approvals.inc({ outcome: 'refused' });
        if (countFailure(state, now, rules)) return { refuse: ApiError.approvalRefusedLastAttempt, details: { attemptsLeft: 0 }, wake: sequence.id };
        return { refuse: ApiError.approvalRefused, details: { attemptsLeft: Math.max(0, rules.maxAttempts - state.attempts) }, wake: sequence.id };
      }
      approval.approvedAt = now;
      // With a second step to come (the collect asks for it), the wrong attempts before stay
      // counted; reset here, every approval would give 5 fresh app-code guesses (one cap across both factors).
      consumeAll(state, now, secondStep);
      return { sequenceId: sequence.id };
    }, (key) => secondStepFollows(context, key));
    metrics?.approvals.inc({ outcome: 'approved' });
    return sequenceId;
  } catch (error) {
    countRefusal(context, error);
    const refused = (error as { wake?: string }).wake;
    if (refused && wake) await wake(refused);
    throw error;
  }
}

/** Whether a sign-in of `emailKey` would be asked for a second factor: a stored user with one on (TOTP=on). */
async function secondStepFollows(context: LoginContext, emailKey: string): Promise<boolean> {
  if (!context.secondFactor) return false;
  return Boolean((await context.store.findUserByEmailKey(emailKey))?.totp);
}

/** `not_waiting` when the phone tried to approve a browser that had gone (describe alone counts nothing). */
function countRefusal(context: LoginContext, error: unknown): void {
  if (error instanceof LoginError && error.code === 'approval_not_waiting') context.metrics?.approvals.inc({ outcome: 'not_waiting' });
}

/** The ticket of `id` if `secret` is the asking browser's; `invalid_approval` otherwise (the same for every address). */
export function openApproval(context: LoginContext, id: string, secret: string): SealedTicket {
  const ticket = openTicket(context.hash, id);
  if (!ticket || !secretMatches(secret, ticket.keyHash)) throw LoginError.of(ApiError.invalidApproval);
  return ticket;
}

type CheckOutcome = { status: 'waiting' | 'refused' } | { status: 'collect'; sequence: SequenceRecord; address: string } | Refusal;

/**
 * One look by the waiting browser: marks it seen (so the phone knows it still waits), and
 * collects the session once the sequence is approved, exactly once.
 */
export async function checkApproval(context: LoginContext, ticket: SealedTicket, secondFactorKey?: string): Promise<ApprovalCheck> {
  const { store, clock, rules, metrics } = context;
  const now = clock.now();
  const outcome = await store.updateLogin<CheckOutcome>(ticket.emailKey, (current) => {
    const state = current && prune(current, now, rules);
    const sequence = state?.sequences.find((s) => s.id === ticket.sequenceId && s.approval !== undefined && sameHash(s.approval.keyHash, ticket.keyHash));
    // Waiting until the ticket's expiry, as for an unknown address: what a ticket with nothing
    // (more) to collect answers, so that no look tells a stored address from another.
    const likeUnknown: CheckOutcome = ticket.expiresAt <= now ? { refuse: ApiError.expiredCode } : { status: 'waiting' };
    // Nothing stored (an unknown address), or pruned.
    if (!state || !sequence) return { next: state, result: likeUnknown };
    const approval = sequence.approval!;
    if (approval.collectedAt !== null) return { next: state, result: { refuse: ApiError.approvalCollected } };
    if (approval.approvedAt !== null) {
      approval.collectedAt = now;
      return { next: state, result: { status: 'collect', sequence, address: state.address } };
    }
    // Only the link's holder can refuse (the owner, or whoever they gave the link): a stranger who
    // asked with their own key learns nothing from it they did not cause.
    if (approval.refusedAt !== null) return { next: state, result: { status: 'refused' } };
    // Burnt by wrong codes, or signed in another way (the code typed, "sign in here"): the asking
    // browser knows from its own answers; a stranger who burnt the codes must learn nothing.
    if (sequence.burntAt !== null || sequence.usedAt !== null || sequence.expiresAt <= now) return { next: state, result: likeUnknown };
    approval.seenAt = now;
    return { next: state, result: { status: 'waiting' } };
  });
  if ('refuse' in outcome) throw LoginError.of(outcome.refuse);
  if (outcome.status !== 'collect') return outcome;
  const answer = await finishLogin(context, 'link', ticket.emailKey, { kind: 'ok', sequence: outcome.sequence, address: outcome.address }, secondFactorKey);
  metrics?.approvals.inc({ outcome: 'collected' });
  return 'secondFactor' in answer ? { status: 'second_factor', challenge: answer } : { status: 'approved', answer };
}
