/** The PostgreSQL wake-up channel's name: PostgreSQL cuts channel names at 63 bytes, and NOTIFY fails past it. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { approvalChannel } from './postgres-wake-up.ts';

it('is <schema>.approval while that fits 63 bytes, else a name from the schema’s hash that fits and differs by schema', () => {
  assert.equal(approvalChannel('passwordless'), 'passwordless.approval');
  const fits = 'a'.repeat(54);
  assert.equal(approvalChannel(fits), `${fits}.approval`);
  const long = ['b'.repeat(55), `${'c'.repeat(54)}é`, 'd'.repeat(63)];
  const names = long.map(approvalChannel);
  for (const name of names) assert.ok(Buffer.byteLength(name) <= 63 && name.startsWith('approval.'), name);
  assert.equal(new Set(names).size, long.length, 'one channel per schema');
  assert.equal(approvalChannel(long[0]!), names[0], 'the same on every instance');
});
