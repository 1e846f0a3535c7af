/** The cross-device approval's request schemas (contract/approval.ts), strict like the others (schemas.ts). */
import { z } from 'zod';
import { APPROVAL_NUMBER_MAX, APPROVAL_NUMBER_MIN } from '../login/approval-state.ts';
import { Base64Url32, VerifyLinkSchema } from './schemas.ts';

export const ApprovalDescribeSchema = VerifyLinkSchema;

export const ApprovalApproveSchema = VerifyLinkSchema.extend({
  number: z.number().int().min(APPROVAL_NUMBER_MIN).max(APPROVAL_NUMBER_MAX),
});

export const ApprovalWaitSchema = z.strictObject({
  // A sealed ticket (login/approval-ticket.ts) is about 200 characters for a long address; 1,024 bounds any.
  id: z.string().regex(/^[A-Za-z0-9_-]{1,1024}$/, 'must be the id from the request answer'),
  secret: Base64Url32,
  /** contract/second-factor.ts: the SHA-256 of the browser's second-step secret, for an account with a second factor. */
  secondFactorKey: Base64Url32.optional(),
});
