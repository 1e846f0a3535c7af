import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LastReads } from './last-reads.ts';

describe('LastReads', () => {
  it('gives a read back once, and tells "found no row" (null) from "nothing kept" (undefined)', () => {
    const reads = new LastReads<{ version: string }>();
    reads.keep('a', { version: '1' });
    reads.keep('b', null);
    assert.deepEqual(reads.take('a'), { version: '1' });
    assert.equal(reads.take('a'), undefined);
    assert.equal(reads.take('b'), null);
    assert.equal(reads.take('b'), undefined);
  });

  it('keeps the newest read of a key, and at most 512 keys, dropping the oldest kept', () => {
    const reads = new LastReads<number>();
    reads.keep('first', 1);
    for (let i = 0; i < 511; i++) reads.keep(`k${i}`, i);
    reads.keep('first', 2);
    reads.keep('one more', 0);
    assert.equal(reads.size, 512);
    assert.equal(reads.take('k0'), undefined, 'the oldest went');
    assert.equal(reads.take('first'), 2, 'kept again: now among the newest');
    assert.equal(reads.take('k1'), 1);
  });

  it('gives back nothing kept more than 2 s ago', () => {
    let now = 1000;
    const reads = new LastReads<number>(() => now);
    reads.keep('a', 1);
    reads.keep('b', 2);
    now += 2000;
    assert.equal(reads.take('a'), 1, 'at 2 s: still given');
    now += 1;
    assert.equal(reads.take('b'), undefined, 'past 2 s: dropped');
    assert.equal(reads.size, 0);
  });
});
