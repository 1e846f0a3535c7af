/**
 * Attack: probing addresses while the mail queue is full. The 503 `mail_busy` is global, so it
 * must answer a known address, an unknown one and one in its resend wait alike:
 * the same status, body and headers, decided before the store is asked (so in the same time
 * class), and it writes nothing an attacker could use to hold an address's resend wait.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { postJson, type JsonAnswer } from '../testing/api-client.ts';
import { freshEmail } from '../testing/attack-kit.ts';
import { startSmtpSink } from '../testing/smtp-sink.ts';
import { startTestServer } from '../testing/test-server.ts';

const bounded = { timeout: 30_000 };

/** What an attacker compares: status, body, and the headers' names and values (without Date). */
function observable(answer: JsonAnswer): unknown {
  const headers = [...answer.headers.entries()].filter(([name]) => name !== 'date' && name !== 'keep-alive').sort();
  return { status: answer.status, body: answer.body, headers };
}

describe('attack: a full mail queue reveals nothing about an address', () => {
  it('known, unknown, waiting and case-variant addresses get the same 503, without a store call', bounded, async () => {
    let release!: () => void;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    const smtp = await startSmtpSink({ acceptAfter: stalled });
    const s = await startTestServer({ env: { SMTP_URL: smtp.url, MAIL_QUEUE_SIZE: '2' } });
    try {
      const known = freshEmail('busy-known');
      await s.backend.store.updateUser(known, () => ({
        next: { id: 'u-busy-known', email: known, emailKey: known, emailVerified: true, createdAt: new Date(0).toISOString(), lastLoginAt: null, data: {} },
        result: null,
      }));
      // One in its resend wait (its code holds a place), then the queue filled by another.
      const waiting = freshEmail('busy-waiting');
      assert.equal((await postJson(`${s.url}/auth/request`, { email: waiting })).status, 202);
      assert.equal((await postJson(`${s.url}/auth/request`, { email: freshEmail('busy-fill') })).status, 202);

      // Every store call from here on is counted: a 503 decided before the store is the same work for every address.
      const store = s.backend.store as unknown as Record<string, (...args: unknown[]) => unknown>;
      let storeCalls = 0;
      for (const name of ['findUserByEmailKey', 'updateLogin', 'findUserById']) {
        const original = store[name]!.bind(store);
        store[name] = (...args: unknown[]) => {
          storeCalls += 1;
          return original(...args);
        };
      }
      const answers = {
        known: await postJson(`${s.url}/auth/request`, { email: known }),
        unknown: await postJson(`${s.url}/auth/request`, { email: freshEmail('busy-unknown') }),
        waiting: await postJson(`${s.url}/auth/request`, { email: waiting }),
        knownAgain: await postJson(`${s.url}/auth/request`, { email: known.toUpperCase() }),
      };
      assert.equal(storeCalls, 0, 'the store is not asked about any address');
      const [first, ...rest] = Object.values(answers).map(observable);
      assert.equal((first as { status: number }).status, 503);
      for (const other of rest) assert.deepEqual(other, first);

      // Nothing written: once the queue drains, the known address gets a code at once.
      release();
      await s.backend.mailer.idle();
      assert.equal((await postJson(`${s.url}/auth/request`, { email: known })).status, 202, 'the refusals held no resend wait');
    } finally {
      release();
      await s.close();
      await smtp.close();
    }
  });
});
