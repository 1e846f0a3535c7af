import { expect } from '@open-wc/testing';
import type { User } from '../../contract/index.ts';
import { initialState, transition, type FlowAction, type FlowState } from './flow.ts';

const user: User = {
  id: 'u1',
  email: 'ada@example.com',
  emailVerified: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  lastLoginAt: '2026-01-01T00:00:00.000Z',
  data: {},
};

const email: FlowState = { step: 'email', email: 'ada@example.com', busy: false, error: null };
const emailBusy: FlowState = { ...email, busy: true };
const code: FlowState = { step: 'code', email: 'ada@example.com', codeLength: 6, busy: false, error: null };
const codeBusy: FlowState = { ...code, busy: true };
const wrong = { code: 'invalid_code', attemptsLeft: 4 } as const;
const codeWrong: FlowState = { ...code, error: wrong };
const link: FlowState = { step: 'link', token: 'tok', busy: false, error: null };
const linkBusy: FlowState = { ...link, busy: true };
const signedIn: FlowState = { step: 'signed-in', user, busy: false, error: null };

const table: Array<[string, FlowState, FlowAction, FlowState]> = [
  ['a submitted email makes the email step busy', email, { type: 'submit' }, emailBusy],
  ['a new submit clears the previous error', codeWrong, { type: 'submit' }, codeBusy],
  ['a sent code moves to the code step', emailBusy, { type: 'code-sent', email: 'ada@example.com', codeLength: 6 }, code],
  ['a resent code stays on the code step and drops the error', { ...codeWrong, busy: true }, { type: 'code-sent', email: 'ada@example.com', codeLength: 8 }, { ...code, codeLength: 8 }],
  ['a refused email request with a code moments ago moves to the code step, marked recent', emailBusy, { type: 'code-pending', email: 'ada@example.com', codeLength: 6 }, { ...code, recent: true }],
  ['a resent code drops the recent mark', { ...code, recent: true, busy: true }, { type: 'code-sent', email: 'ada@example.com', codeLength: 6 }, code],
  ['a wrong code keeps the recent mark', { ...code, recent: true, busy: true }, { type: 'failed', error: wrong }, { ...codeWrong, recent: true }],
  ['a failed request stays on its step with the error', codeBusy, { type: 'failed', error: wrong }, codeWrong],
  ['a failed email request keeps the email', emailBusy, { type: 'failed', error: { code: 'network_error' } }, { ...email, error: { code: 'network_error' } }],
  ['a failed link stays on the link step with the error', linkBusy, { type: 'failed', error: { code: 'invalid_link' } }, { ...link, error: { code: 'invalid_link' } }],
  ['a refused request for a busy mail queue stays on its step with the error', emailBusy, { type: 'failed', error: { code: 'mail_busy', retryAfter: 12 } }, { ...email, error: { code: 'mail_busy', retryAfter: 12 } }],
  ['the busy wait over, its error goes and the step stays', { ...code, error: { code: 'mail_busy', retryAfter: 12 } }, { type: 'wait-over' }, code],
  ['a right code signs in', codeBusy, { type: 'signed-in', user }, signedIn],
  ['a followed link signs in', linkBusy, { type: 'signed-in', user }, signedIn],
  ['a stored session signs in from the start', initialState(), { type: 'signed-in', user }, signedIn],
  ['a link opened on the email step shows the link step', email, { type: 'link-opened', token: 'tok' }, link],
  ['a link opened while signed in shows the link step', signedIn, { type: 'link-opened', token: 'tok' }, link],
  ['"use a different email" goes back with the email prefilled', codeWrong, { type: 'restart', email: 'ada@example.com' }, email],
  ['signing out goes back to an empty email step', signedIn, { type: 'restart', email: '' }, initialState()],
  ['a failed link goes back to the email step', { ...link, error: { code: 'expired_code' } }, { type: 'restart', email: '' }, initialState()],
];

describe('transition', () => {
  for (const [name, before, action, after] of table) {
    it(name, () => {
      expect(transition(before, action)).to.deep.equal(after);
    });
  }

  it('does not change the state it is given', () => {
    const before = structuredClone(code);
    transition(code, { type: 'failed', error: wrong });
    expect(code).to.deep.equal(before);
  });
});
