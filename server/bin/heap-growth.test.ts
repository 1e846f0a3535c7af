/**
 * The `serve` process's heap growth (heap-growth.ts): set to 30 % unless node's command line
 * names its own, in either spelling V8 accepts (the last one, if twice). That the compiled command logs it is checked in
 * start-checks.test.ts; what it saves is a benchmark figure (docs/operations.md).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HEAP_GROWING_PERCENT, limitHeapGrowth } from './heap-growth.ts';

function run(execArgv: string[]): { percent: number | string; flags: string[] } {
  const flags: string[] = [];
  const percent = limitHeapGrowth(execArgv, (flag) => flags.push(flag));
  return { percent, flags };
}

describe('limitHeapGrowth', () => {
  it('sets the growth to 30 % when the command line does not name one', () => {
    assert.equal(HEAP_GROWING_PERCENT, 30);
    assert.deepEqual(run([]), { percent: 30, flags: ['--heap-growing-percent=30'] });
    assert.deepEqual(run(['--enable-source-maps', '--max-semi-space-size=4']), { percent: 30, flags: ['--heap-growing-percent=30'] });
  });

  it("leaves the command line's value, in any of its spellings, and reports it", () => {
    assert.deepEqual(run(['--heap-growing-percent=0']), { percent: 0, flags: [] });
    assert.deepEqual(run(['--heap_growing_percent=50']), { percent: 50, flags: [] });
    // V8 takes the last of a flag given twice.
    assert.deepEqual(run(['--heap-growing-percent=50', '--inspect', '--heap-growing-percent=0']), { percent: 0, flags: [] });
    // Not a number: V8 says what it makes of it; the entry shows it as given.
    assert.deepEqual(run(['--heap-growing-percent=30x']), { percent: '30x', flags: [] });
  });
});
