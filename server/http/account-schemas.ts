/** The account routes' request schemas (contract/account.ts), strict like the others (schemas.ts). */
import { z } from 'zod';
import { LOCALES } from '../../contract/index.ts';
import { EmailSchema, VerifyCodeSchema } from './schemas.ts';

/** The new address, validated and normalised like a sign-in address; the mail's language. */
export const EmailChangeStartSchema = z.strictObject({
  email: EmailSchema,
  locale: z.enum(LOCALES).optional(),
});

/** A deletion's start takes `{}` or a language for its mail. */
export const DeletionStartSchema = z.strictObject({
  locale: z.enum(LOCALES).optional(),
});

/** The code as a sign-in code is typed (spaces and dashes dropped, digits only): a deletion's confirm. */
export const AccountCodeSchema = VerifyCodeSchema.pick({ code: true });

/** A change's confirm: the new address (as at its start) and the code mailed there. */
export const EmailChangeConfirmSchema = VerifyCodeSchema.pick({ email: true, code: true });

export const EmailChangeUndoSchema = z.strictObject({
  // The undo token (account/undo-token.ts): base64url body, a dot, a base64url HMAC. A body is
  // at most 2,111 characters (an address of 254 characters, each escaped; the sum is there).
  token: z.string().regex(/^[A-Za-z0-9_-]{1,2200}\.[A-Za-z0-9_-]{43}$/, 'must be the token from the link'),
});
