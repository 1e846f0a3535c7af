import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { retryDelayMs, waitOrWake } from './retry-policy.ts';

describe('retryDelayMs', () => {
  it('waits 1 s, 4 s, 16 s, then 60 s at most, before jitter', () => {
    const noJitter = () => 0;
    assert.deepEqual(
      [1, 2, 3, 4, 5, 10].map((retry) => retryDelayMs(retry, undefined, noJitter)),
      [1000, 4000, 16_000, 60_000, 60_000, 60_000],
    );
  });

  it('adds up to a quarter at random, never less than the base', () => {
    assert.equal(retryDelayMs(2, undefined, () => 0.5), 4500);
    assert.equal(retryDelayMs(4, undefined, () => 0.999_999), 75_000);
    assert.equal(retryDelayMs(1, undefined, () => 0), 1000);
  });

  it('takes a backoff of its own', () => {
    assert.deepEqual(
      [1, 2, 3].map((retry) => retryDelayMs(retry, { firstDelayMs: 10, maxDelayMs: 100 }, () => 0)),
      [10, 40, 100],
    );
  });
});

describe('waitOrWake', () => {
  it('returns as soon as its signal aborts, without rejecting', { timeout: 5000 }, async () => {
    const wake = new AbortController();
    const started = Date.now();
    const waiting = waitOrWake(3_600_000, wake.signal);
    wake.abort();
    await waiting;
    assert.ok(Date.now() - started < 1000);
  });

  it('waits out its delay when nothing wakes it', async () => {
    const started = Date.now();
    await waitOrWake(5, new AbortController().signal);
    assert.ok(Date.now() - started >= 4);
  });
});
