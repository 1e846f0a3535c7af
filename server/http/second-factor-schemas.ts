/** The second factor's request schemas (contract/second-factor.ts), strict like the others (schemas.ts). */
import { z } from 'zod';
import { Base64Url32 } from './schemas.ts';

/** Six digits once spaces a person may paste are removed (an app shows "123 456"). */
const AppCode = z
  .string()
  .max(16)
  .transform((v) => v.replace(/\s/g, ''))
  .pipe(z.string().regex(/^[0-9]{6}$/, 'must be the 6 digits from the app'));

/** `xxxxx-xxxxx` in any case, with or without the dash (recovery-codes.ts). */
const RecoveryCode = z
  .string()
  .max(32)
  .transform((v) => v.trim().toLowerCase())
  .pipe(z.string().regex(/^[a-z2-7]{5}-?[a-z2-7]{5}$/, 'must be a recovery code (xxxxx-xxxxx)'));

/** A sealed token (second-factor/sealed-box.ts): about 200 characters; 1,024 bounds any. */
const Sealed = z.string().regex(/^[A-Za-z0-9_.-]{1,1024}$/, 'must be the token the server gave');

const oneProof = <T extends { code?: string; recoveryCode?: string }>(body: T) => (body.code === undefined) !== (body.recoveryCode === undefined);
const ONE_PROOF = { error: 'exactly one of code and recoveryCode', path: ['code'] };

export const TotpEnableSchema = z.strictObject({ setupToken: Sealed, code: AppCode });

export const TotpProofSchema = z.strictObject({ code: AppCode.optional(), recoveryCode: RecoveryCode.optional() }).refine(oneProof, ONE_PROOF);

export const SecondFactorSchema = z
  .strictObject({ ticket: Sealed, secret: Base64Url32, code: AppCode.optional(), recoveryCode: RecoveryCode.optional() })
  .refine(oneProof, ONE_PROOF);

export const TotpSetupSchema = z.strictObject({});
