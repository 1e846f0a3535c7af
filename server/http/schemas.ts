/**
 * The request schemas, one per route, strict: unknown keys are refused so a typo in a client
 * ("redirect_to") is an error, not a silently ignored option.
 */
import { z } from 'zod';
import { LOCALES } from '../../contract/index.ts';
import { parseEmailAddress } from '../login/email-address.ts';
import { nestsDeeperThan } from './json-depth.ts';

/** The email policy of email-address.ts as a zod type that yields `{address, key}`. */
export const EmailSchema = z.string().transform((value, ctx) => {
  const parsed = parseEmailAddress(value);
  if (!parsed) {
    ctx.addIssue({ code: 'custom', message: 'must be one plain email address like name@example.com' });
    return z.NEVER;
  }
  return parsed;
});

// 32 random bytes as base64url: 43 characters (see RequestBody.clientHash); also a SHA-256 (approvalKey).
export const Base64Url32 = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be 43 base64url characters');
const ClientHash = Base64Url32;

/**
 * Stored on the user for good, so bounded: 2 KB of JSON, 4 levels deep. Any body fits the 8 KB
 * limit, but an unbounded depth let 8 KB of brackets cost megabytes of store.
 */
// Names that mean something to JavaScript objects are refused outright rather than trusted to
// every later copy of the data to handle safely.
const SAFE_KEY = z.string().max(64).refine((key) => !['__proto__', 'constructor', 'prototype'].includes(key), 'is a reserved name');

const UserData = z
  .record(SAFE_KEY, z.json())
  .refine((value) => !JSON.stringify(value).match(/"(__proto__|constructor|prototype)":/), 'must not use reserved names')
  .refine((value) => !nestsDeeperThan(value, 4), 'must be at most 4 levels deep')
  .refine((value) => JSON.stringify(value).length <= 2048, 'must be at most 2048 characters of JSON');

export const RequestSchema = z.strictObject({
  email: EmailSchema,
  redirectTo: z.string().max(2048).optional(),
  locale: z.enum(LOCALES).optional(),
  userData: UserData.optional(),
  clientHash: ClientHash.optional(),
  /** Cross-device approval (contract/approval.ts): SHA-256 of the secret the asking browser keeps. */
  approvalKey: Base64Url32.optional(),
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
  /** contract/second-factor.ts: SHA-256 of the secret the browser keeps for the second step. */
  secondFactorKey: Base64Url32.optional(),
});

export const VerifyLinkSchema = z.strictObject({
  token: z.string().regex(/^[A-Za-z0-9_-]{20,128}$/, 'must be the token from the link'),
});

/** `POST /verify` with a link token: the token, and the second step's key (contract/second-factor.ts). */
export const VerifyLinkBodySchema = VerifyLinkSchema.extend({ secondFactorKey: Base64Url32.optional() });

// Passkeys. Bytes travel as base64url (`PublicKeyCredential.toJSON()`); the bounds are far above
// what an authenticator sends (a credential ID is at most 1023 bytes, WebAuthn §5.8.3; an
// attestation of format none about 300) and below the 8 KB body limit.
const Base64Url = (max: number) => z.string().max(max).regex(/^[A-Za-z0-9_-]*$/, 'must be base64url');
const CredentialId = Base64Url(1400).min(16, 'must be a credential ID');

const PasskeyCredentialSchema = z.strictObject({
  id: CredentialId,
  rawId: CredentialId,
  type: z.literal('public-key'),
  // What the library reads is checked again there; here only its shape and size.
  response: z.strictObject({
    clientDataJSON: Base64Url(2048),
    attestationObject: Base64Url(6000).optional(),
    authenticatorData: Base64Url(4096).optional(),
    signature: Base64Url(1024).optional(),
    userHandle: Base64Url(128).nullable().optional(),
    // Transport names are short lowercase words ('usb', 'hybrid', 'smart-card'); new ones appear
    // (WebAuthn L3 added two), so the shape is checked, not a list. A NUL here once reached
    // PostgreSQL's text[] and answered 500.
    transports: z.array(z.string().regex(/^[a-z-]{1,32}$/, 'must be a transport name')).max(8).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: Base64Url(2048).optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).nullable().optional(),
  clientExtensionResults: z.record(z.string().max(64), z.json()).refine((value) => JSON.stringify(value).length <= 1024, 'must be at most 1024 characters of JSON'),
});

/** A passkey's name: one line a person typed, 1 to 64 characters once trimmed. */
export const PasskeyNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, 'must be one line of text');

export const PasskeySignInSchema = z.strictObject({ credential: PasskeyCredentialSchema });
export const PasskeyRegisterSchema = z.strictObject({ credential: PasskeyCredentialSchema, name: PasskeyNameSchema.optional() });
export const PasskeyRenameSchema = z.strictObject({ name: PasskeyNameSchema });
/** `:id` of `/passkeys/:id`. */
export const PasskeyIdSchema = CredentialId;
