import { expect } from '@open-wc/testing';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { CountdownController } from './countdown-controller.ts';
import { FakeClock } from '../testing/fake-clock.ts';

class Host implements ReactiveControllerHost {
  controllers: ReactiveController[] = [];
  updates = 0;
  addController(c: ReactiveController) {
    this.controllers.push(c);
  }
  removeController() {}
  requestUpdate() {
    this.updates++;
  }
  get updateComplete() {
    return Promise.resolve(true);
  }
}

function setup() {
  const clock = new FakeClock();
  const host = new Host();
  let done = 0;
  const countdown = new CountdownController(host, { clock, onDone: () => done++ });
  return { clock, host, countdown, done: () => done };
}

describe('CountdownController', () => {
  it('counts whole seconds down to the deadline', () => {
    const { clock, countdown } = setup();
    countdown.start(60);
    expect(countdown.remaining).to.equal(60);
    expect(countdown.remaining > 0).to.equal(true);
    clock.advance(1);
    expect(countdown.remaining, 'rounds up: 59.999 s left shows as 60').to.equal(60);
    clock.advance(999);
    expect(countdown.remaining).to.equal(59);
    clock.advance(58_000);
    expect(countdown.remaining).to.equal(1);
  });

  it('re-renders the host once a second, then stops and calls onDone once', () => {
    const { clock, host, countdown, done } = setup();
    countdown.start(3);
    const before = host.updates;
    clock.advance(2_000);
    expect(host.updates - before).to.equal(2);
    expect(done()).to.equal(0);
    clock.advance(1_000);
    expect(countdown.remaining).to.equal(0);
    expect(countdown.remaining).to.equal(0);
    expect(done()).to.equal(1);
    expect(clock.pending, 'no timer left behind').to.equal(0);
    clock.advance(10_000);
    expect(done()).to.equal(1);
  });

  it('accepts a fractional retryAfter and ticks on the second boundaries', () => {
    const { clock, countdown, done } = setup();
    countdown.start(1.5);
    expect(countdown.remaining).to.equal(2);
    clock.advance(500);
    expect(countdown.remaining).to.equal(1);
    clock.advance(999);
    expect(done()).to.equal(0);
    clock.advance(1);
    expect(done()).to.equal(1);
  });

  it('restarting replaces the deadline and the timer', () => {
    const { clock, countdown, done } = setup();
    countdown.start(10);
    clock.advance(5_000);
    countdown.start(30);
    expect(countdown.remaining).to.equal(30);
    expect(clock.pending).to.equal(1);
    clock.advance(29_000);
    expect(done()).to.equal(0);
    clock.advance(1_000);
    expect(done()).to.equal(1);
  });

  it('stop() ends the countdown without calling onDone', () => {
    const { clock, countdown, done } = setup();
    countdown.start(10);
    countdown.stop();
    expect(countdown.remaining).to.equal(0);
    expect(clock.pending).to.equal(0);
    clock.advance(20_000);
    expect(done()).to.equal(0);
  });

  it('clears its timer when the host disconnects and resumes on reconnect', () => {
    const { clock, countdown, done } = setup();
    countdown.start(10);
    countdown.hostDisconnected();
    expect(clock.pending).to.equal(0);
    clock.advance(4_000);
    countdown.hostConnected();
    expect(countdown.remaining).to.equal(6);
    clock.advance(6_000);
    expect(done()).to.equal(1);
  });

  it('finishes at once for zero seconds', () => {
    const { countdown, done } = setup();
    countdown.start(0);
    expect(countdown.remaining).to.equal(0);
    expect(done()).to.equal(1);
  });
});
