/**
 * The request schemas, one per route, strict: unknown keys are refused so a typo in a client
 * ("redirect_to") is an error, not a silently ignored option.
 */
import { z } from 'zod';
import { LOCALES } from '../contract.ts';
import { parseEmailAddress } from '../email-address.ts';

/** The email policy of email-address.ts as a zod type that yields `{address, key}`. */
export const EmailSchema = z.string().transform((value, ctx) => {
  const parsed = parseEmailAddress(value);
  if (!parsed) {
    ctx.addIssue({ code: 'custom', message: 'must be one plain email address like name@example.com' });
    return z.NEVER;
  }
  return parsed;
});

// base64url SHA-256: 43 characters.
const ClientHash = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a base64url SHA-256 digest');

export const RequestSchema = z.strictObject({
  email: EmailSchema,
  redirectTo: z.string().max(2048).optional(),
  locale: z.enum(LOCALES as [string, ...string[]]).optional(),
  userData: z.record(z.string().max(100), z.unknown()).optional(),
  clientHash: ClientHash.optional(),
});

export const VerifyCodeSchema = z.strictObject({
  email: EmailSchema,
  // Digits only once spaces and dashes a person may paste are removed; the length is checked by
  // the service's comparison, so a wrong-length code is simply a wrong code (and counted).
  code: z
    .string()
    .max(32)
    .transform((v) => v.replace(/[\s-]/g, ''))
    .pipe(z.string().regex(/^[0-9]{1,16}$/, 'must be the digits of the code')),
});

export const VerifyLinkSchema = z.strictObject({
  token: z.string().regex(/^[A-Za-z0-9_-]{20,128}$/, 'must be the token from the link'),
});
