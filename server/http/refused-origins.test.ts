import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recordingLogger } from '../testing/recording-logger.ts';
import { ManualClock } from '../time/clock.ts';
import { REFUSED_ORIGIN_WINDOW_MS, REFUSED_ORIGINS_KEPT, refusedOriginLog } from './refused-origins.ts';

const MINUTE = 60_000;

function setUp() {
  const { logger, entries } = recordingLogger();
  const clock = new ManualClock();
  return { entries, clock, log: refusedOriginLog(logger, clock, ['http://localhost:8099']) };
}

describe('the refused-origin log', () => {
  it('names the origin, the variable and what is allowed now, as a warning', () => {
    const { entries, log } = setUp();
    log.refused('http://127.0.0.1:8099');
    assert.equal(entries.length, 1);
    const [entry] = entries;
    assert.equal(entry!.level, 'warn');
    assert.equal(entry!.origin, 'http://127.0.0.1:8099');
    assert.equal(entry!.variable, 'ALLOWED_ORIGINS');
    assert.deepEqual(entry!.allowedOrigins, ['http://localhost:8099']);
    assert.match(entry!.msg, /http:\/\/127\.0\.0\.1:8099.*ALLOWED_ORIGINS/);
  });

  it('tells a page with Origin null (file://, a sandboxed frame) to be served over http(s), since null can never be added', () => {
    const { entries, log } = setUp();
    log.refused('null');
    assert.match(entries[0]!.msg, /file:\/\/.*never allowed: serve the page over http\(s\)/);
    assert.doesNotMatch(entries[0]!.msg, /add it there/);
  });

  it('logs an origin once per 10 minutes, however often it is refused', () => {
    const { entries, clock, log } = setUp();
    for (let i = 0; i < 50; i++) log.refused('http://127.0.0.1:8099');
    clock.advance(REFUSED_ORIGIN_WINDOW_MS - 1);
    log.refused('http://127.0.0.1:8099');
    assert.equal(entries.length, 1, 'still within 10 minutes');
    clock.advance(1);
    log.refused('http://127.0.0.1:8099');
    assert.equal(entries.length, 2, '10 minutes on, once more');
    assert.equal(REFUSED_ORIGIN_WINDOW_MS, 10 * MINUTE);
  });

  it('logs each origin on its own', () => {
    const { entries, log } = setUp();
    log.refused('https://a.example');
    log.refused('https://b.example');
    log.refused('https://a.example');
    assert.deepEqual(entries.map((e) => e.origin), ['https://a.example', 'https://b.example']);
  });

  it('remembers at most 100 origins: a flood of made-up ones logs 100 lines per 10 minutes, then room comes back', () => {
    const { entries, clock, log } = setUp();
    for (let i = 0; i < 10_000; i++) log.refused(`https://made-up-${i}.example`);
    assert.equal(entries.length, REFUSED_ORIGINS_KEPT);
    assert.equal(REFUSED_ORIGINS_KEPT, 100);
    // The remembered ones are still quiet; new ones wait for room.
    log.refused('https://made-up-0.example');
    log.refused('https://real.example');
    assert.equal(entries.length, 100);
    clock.advance(REFUSED_ORIGIN_WINDOW_MS);
    log.refused('https://real.example');
    assert.equal(entries.at(-1)!.origin, 'https://real.example');
  });

  it('cuts a huge Origin header to 200 characters in the log and the memory', () => {
    const { entries, log } = setUp();
    log.refused(`https://${'a'.repeat(10_000)}.example`);
    log.refused(`https://${'a'.repeat(9_000)}.example`);
    assert.equal(entries.length, 1, 'the same first 200 characters count as one origin');
    assert.equal((entries[0]!.origin as string).length, 200);
  });
});
