/**
 * The undo token of the longest addresses: a change between two addresses of 254 characters (the
 * most RFC 5321 allows), even every character escaped in JSON, gives a token the undo route's
 * schema takes, and it opens to what was sealed. (Over SMTP such addresses are refused by most
 * servers, the test's sink among them: this is the token alone.)
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { EmailChangeUndoSchema } from '../http/account-schemas.ts';
import { createHasher } from '../secrets/hasher.ts';
import { openUndoToken, sealUndoToken } from './undo-token.ts';

const hash = createHasher('a-test-secret-of-at-least-32-characters!!');

it('seals a token for two 254-character addresses that the undo route accepts, and opens it', () => {
  const local = (c: string) => c.repeat(64);
  const domain = `${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(61)}`;
  const ascii = `${local('a')}@${domain}`;
  // Worst case for the JSON: every character of the local part escaped as \uXXXX.
  const escaped = `${local('\u0001')}@${domain}`;
  assert.equal(ascii.length, 254);
  assert.equal(escaped.length, 254);
  for (const oldEmail of [ascii, escaped]) {
    const sealed = { userId: 'u'.repeat(24), oldEmail, changedAt: 8_640_000_000_000_000, epoch: 2 ** 31 };
    const token = sealUndoToken(hash, sealed);
    assert.ok(EmailChangeUndoSchema.safeParse({ token }).success, `a token of ${token.length} characters is accepted`);
    assert.deepEqual(openUndoToken(hash, token), sealed);
  }
});
