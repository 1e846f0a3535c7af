/** The benchmark's mail arithmetic: every figure from one window, and a figure that cannot be is named. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMetrics } from '../server/observability/metrics.ts';
import { describeMailAccount, mailAccount, mailCountsFromMetrics } from './mail-account.ts';

const zero = { handed: 0, sent: 0, failed: 0, dropped: 0, refused: 0 };

describe('the benchmark\'s mail account', () => {
  it('counts mails against what the server handed to the mailer, not against autocannon\'s answers', () => {
    // The run that printed "948 of 927 mails" and "-21 dropped": 21 requests were in flight when
    // autocannon stopped, answered and mailed by the server, counted by no one.
    const account = mailAccount(zero, { handed: 948, sent: 948, failed: 0, dropped: 0, refused: 0 }, { before: 0, after: 948 }, 927);
    assert.deepEqual(
      { handed: account.handed, unanswered: account.unanswered, dropped: account.dropped, queued: account.queued, atSink: account.atSink, problems: account.problems },
      { handed: 948, unanswered: 21, dropped: 0, queued: 0, atSink: 948, problems: [] },
    );
    assert.equal(describeMailAccount(account), '948 of 948 mails at the sink; 0 dropped after a 202; 0 answered 503 mail_busy; 0 failed; 0 still queued; 948 = 927 answered + 21 in flight when the load stopped');
  });

  it('takes the counts of this server and this sink between the two readings only', () => {
    const before = { handed: 500, sent: 480, failed: 1, dropped: 19, refused: 7 };
    const after = { handed: 1500, sent: 1380, failed: 1, dropped: 99, refused: 4007 };
    const account = mailAccount(before, after, { before: 2000, after: 2900 }, 990);
    assert.deepEqual([account.handed, account.sent, account.dropped, account.refused, account.queued, account.atSink, account.unanswered], [1000, 900, 80, 4000, 20, 900, 10]);
    assert.deepEqual(account.problems, []);
  });

  it('names every figure that does not add up instead of printing it as if it did', () => {
    const account = mailAccount(zero, { handed: 900, sent: 910, failed: 0, dropped: 0, refused: 0 }, { before: 0, after: 905 }, 927);
    assert.deepEqual(account.problems, ['unanswered is -27', 'queued is -10', 'the sink received 905 but the server counted 910 sent']);
    assert.match(describeMailAccount(account), /DOES NOT ADD UP: unanswered is -27/);
  });

  it('reads the server\'s counters from the text GET /metrics answers with', () => {
    const metrics = createMetrics();
    for (let i = 0; i < 7; i++) metrics.codesRequested.inc();
    for (let i = 0; i < 5; i++) metrics.mail.inc({ outcome: 'sent' });
    metrics.mail.inc({ outcome: 'failed' });
    metrics.mailBusy.inc();
    metrics.mailBusy.inc();
    assert.deepEqual(mailCountsFromMetrics(metrics.registry.render()), { handed: 7, sent: 5, failed: 1, dropped: 0, refused: 2 });
    assert.ok(Number.isNaN(mailCountsFromMetrics('').sent), 'a counter the text does not show is NaN, never 0');
  });
});
