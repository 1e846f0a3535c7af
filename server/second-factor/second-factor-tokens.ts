/**
 * The two sealed tokens of the second factor (sealed-box.ts), each under its own key, so one can
 * never be taken for the other:
 * - the setup token: the secret shown by `POST /totp/setup`, for its user, until 10 minutes
 *   later. Setup writes nothing; `enable` opens it with the first code.
 * - the ticket of the second step: the user, the first factor's method, the SHA-256 of the
 *   browser's secret (`secondFactorKey`) and 5 minutes. It carries no secret and grants nothing
 *   but `POST /second-factor`; its nonce is what `Store.claimOnce` spends, once, when it is used
 *   or dies at the attempt cap.
 */
import { randomBytes } from 'node:crypto';
import type { FirstFactorMethod } from '../login/second-factor-gate.ts';
import { sealedBox } from './sealed-box.ts';

/** 5 minutes: enough to open the app and type a code, short enough that a ticket left in a tab is soon worth nothing. */
export const TICKET_TTL_MS = 5 * 60_000;
/** 10 minutes, as long as a fresh session (the setup needs one). */
export const SETUP_TTL_MS = 10 * 60_000;

export interface Ticket {
  userId: string;
  method: FirstFactorMethod;
  keyHash: string;
  expiresAt: number;
  /** What `claimOnce` spends: `second-factor-ticket:<nonce>`. */
  claimKey: string;
}

export interface SetupGrant {
  userId: string;
  secret: string;
  expiresAt: number;
}

export interface SecondFactorTokens {
  ticket(userId: string, method: FirstFactorMethod, keyHash: string, now: number): string;
  /** The ticket, or null when it is not one of ours or is malformed (expiry is the caller's check). */
  openTicket(sealed: string): Ticket | null;
  setup(userId: string, secret: string, now: number): string;
  openSetup(sealed: string): SetupGrant | null;
}

export function secondFactorTokens(secret: string): SecondFactorTokens {
  const tickets = sealedBox(secret, 'ticket');
  const setups = sealedBox(secret, 'setup');
  const parse = (text: string | null): Record<string, unknown> | null => {
    if (text === null) return null;
    try {
      const value: unknown = JSON.parse(text);
      return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  };
  return {
    ticket: (userId, method, keyHash, now) => tickets.seal(JSON.stringify({ u: userId, m: method, k: keyHash, e: now + TICKET_TTL_MS, n: randomBytes(16).toString('base64url') })),
    openTicket(sealed) {
      const v = parse(tickets.open(sealed));
      if (!v || typeof v.u !== 'string' || (v.m !== 'code' && v.m !== 'link') || typeof v.k !== 'string' || typeof v.e !== 'number' || typeof v.n !== 'string') return null;
      return { userId: v.u, method: v.m, keyHash: v.k, expiresAt: v.e, claimKey: `second-factor-ticket:${v.n}` };
    },
    setup: (userId, totpSecret, now) => setups.seal(JSON.stringify({ u: userId, s: totpSecret, e: now + SETUP_TTL_MS })),
    openSetup(sealed) {
      const v = parse(setups.open(sealed));
      if (!v || typeof v.u !== 'string' || typeof v.s !== 'string' || typeof v.e !== 'number') return null;
      return { userId: v.u, secret: v.s, expiresAt: v.e };
    },
  };
}

