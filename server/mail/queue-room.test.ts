/**
 * The queue's room and Retry-After: places are counted before they are used, given back once, and
 * the wait follows the drain rate of the last 10 s, within 1–60 s. Time is a number the test moves.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recordingLogger } from '../testing/recording-logger.ts';
import { sampleMail } from '../testing/sample-login-mail.ts';
import { createQueueRoom, retryAfterSeconds } from './queue-room.ts';
import type { Mail } from './types.ts';

function room(capacity: number) {
  const state = { now: 1_000_000_000, queued: 0, closed: false, accepted: [] as Mail[] };
  const { logger, entries } = recordingLogger();
  const r = createQueueRoom({
    capacity,
    queued: () => state.queued,
    accept: (mail) => {
      state.accepted.push(mail);
      state.queued += 1;
    },
    closed: () => state.closed,
    now: () => state.now,
    logger,
  });
  return { r, state, entries };
}

describe('mail queue room', () => {
  it('Retry-After is the backlog over the drain rate, at least 1 s and at most 60 s', () => {
    assert.equal(retryAfterSeconds(600, 20), 30);
    assert.equal(retryAfterSeconds(601, 20), 31, 'rounded up');
    assert.equal(retryAfterSeconds(5, 100), 1);
    assert.equal(retryAfterSeconds(10_000, 50), 60);
    assert.equal(retryAfterSeconds(10, 0), 60, 'nothing drains: the longest wait');
  });

  it('counts a reservation as queued until it is sent or released, and never twice', () => {
    const { r, state } = room(2);
    const a = r.reserve();
    const b = r.reserve();
    assert.ok(!a.busy && !b.busy);
    assert.equal(r.reserve().busy, true, 'two places held: the third is refused');
    a.release();
    a.release();
    const c = r.reserve();
    assert.equal(c.busy, false, 'a released place is free again');
    assert.equal(r.reserve().busy, true, 'released once, freed once');
    if (b.busy || c.busy) return;
    b.send(sampleMail);
    b.send(sampleMail);
    b.release();
    assert.equal(state.accepted.length, 1, 'one place carries one mail');
    assert.equal(r.reserve().busy, true, 'the sent mail holds its place in the queue');
    state.queued -= 1;
    r.settled(1);
    assert.equal(r.reserve().busy, false, 'a settled mail frees its place');
  });

  it('derives the wait from the mails settled over the last 10 s', () => {
    const { r, state } = room(40);
    state.queued = 40;
    const first = r.reserve();
    assert.deepEqual(first, { busy: true, retryAfter: 60 }, 'nothing settled yet');
    for (let i = 0; i < 10; i++) {
      state.now += 1000;
      r.settled(2);
    }
    assert.equal(r.drainRate(), 2);
    assert.deepEqual(r.reserve(), { busy: true, retryAfter: 20 }, '40 queued at 2 a second');
    state.now += 5000;
    assert.equal(r.drainRate(), 1, 'half the window has gone quiet');
    assert.deepEqual(r.reserve(), { busy: true, retryAfter: 40 });
    state.now += 6000;
    assert.deepEqual(r.reserve(), { busy: true, retryAfter: 60 }, 'nothing settled in the last 10 s');
  });

  it('refuses every reservation once the mailer is closed', () => {
    const { r, state } = room(10);
    state.closed = true;
    assert.equal(r.reserve().busy, true);
  });

  it('logs refusals at most once per 10 s, with their count, and once when mail is taken again', () => {
    const { r, state, entries } = room(1);
    state.queued = 1;
    for (let i = 0; i < 5; i++) r.reserve();
    assert.equal(entries.length, 1, 'the first refusal at once, the next four counted');
    assert.equal(entries[0]!.level, 'warn');
    assert.match(entries[0]!.msg, /503 mail_busy: the mail queue is full/);
    assert.equal(entries[0]!.refused, 1);
    state.now += 10_000;
    r.reserve();
    assert.equal(entries.length, 2);
    assert.equal(entries[1]!.refused, 5, 'the four counted since, and this one');
    r.reserve();
    state.queued = 0;
    r.settled(1);
    const place = r.reserve();
    assert.equal(place.busy, false);
    assert.equal(entries.length, 3);
    assert.equal(entries[2]!.msg, 'the mail queue takes mail again');
    assert.equal(entries[2]!.refused, 1, 'the refusal not yet logged');
    if (!place.busy) place.release();
    assert.equal(r.reserve().busy, false);
    assert.equal(entries.length, 3, 'no line per accepted request');
  });
});
