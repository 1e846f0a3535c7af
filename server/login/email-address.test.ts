import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEmailAddress } from './email-address.ts';

describe('email policy', () => {
  for (const [input, address, key] of [
    ['ana@example.com', 'ana@example.com', 'ana@example.com'],
    ['Ana.Maria+news@Example.COM', 'Ana.Maria+news@example.com', 'ana.maria+news@example.com'],
    ['ana@exämple.com', 'ana@xn--exmple-cua.com', 'ana@xn--exmple-cua.com'],
    ['ana@例子。中国', 'ana@xn--fsqu00a.xn--fiqs8s', 'ana@xn--fsqu00a.xn--fiqs8s'],
    [`${'a'.repeat(64)}@example.com`, `${'a'.repeat(64)}@example.com`, `${'a'.repeat(64)}@example.com`],
  ] as const) {
    it(`accepts ${JSON.stringify(input)}`, () => {
      assert.deepEqual(parseEmailAddress(input), { address, key });
    });
  }

  for (const [why, input] of [
    ['a display name', 'Ana <ana@example.com>'],
    ['a list', 'ana@example.com,bob@example.com'],
    ['a list with a semicolon', 'ana@example.com;bob@example.com'],
    ['a quoted local part', '"ana"@example.com'],
    ['a comment', 'ana(work)@example.com'],
    ['CR/LF', 'ana@example.com\r\nBcc: eve@evil.example'],
    ['a NUL', 'ana\u0000@example.com'],
    ['a zero-width space', 'ana\u200b@example.com'],
    ['a right-to-left override', 'ana\u202e@example.com'],
    ['an IP literal', 'ana@[127.0.0.1]'],
    ['no domain dot', 'ana@localhost'],
    ['a numeric top-level label', 'ana@example.123'],
    ['an empty label', 'ana@example..com'],
    ['a label starting with a hyphen', 'ana@-example.com'],
    ['a local part over 64', `${'a'.repeat(65)}@example.com`],
    ['an address over 254', `ana@${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(60)}.com`],
    ['a non-ASCII local part', 'ánа@example.com'],
    ['no @', 'ana.example.com'],
    ['a space', 'ana maria@example.com'],
  ] as const) {
    it(`refuses ${why}`, () => {
      assert.equal(parseEmailAddress(input), null);
    });
  }
});
