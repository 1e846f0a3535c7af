/**
 * Cross-device approval (issue: sign in where you started). The browser that asked for a code
 * keeps waiting; the link opened on another device (the phone) may approve it by picking the
 * number the asking device shows, and the asking device then collects the session. Kept out of
 * `ApiPath`, whose object the core bundle carries byte for byte: only the approval feature module
 * imports these paths.
 *
 * The asking browser proves it asked with a secret of its own (32 random bytes) that never
 * appears in the link: it sends only the secret's SHA-256 (`approvalKey`) with its request, and
 * the secret itself only when it collects (`POST /approval/wait`). The link's `pl_client` hint is
 * echoed in the link, so it cannot be that proof.
 */
import type { RequestBody, RequestResponse, VerifyResponse } from './bodies.ts';

/** Paths relative to the base path (default `/auth`); every one a `POST` with a JSON body. */
export const ApprovalPath = {
  /** `ApprovalDescribeBody` → `ApprovalDescription`: what is asking, spending nothing (the phone, before it approves). */
  describe: '/approval/describe',
  /** `ApprovalApproveBody` → `ApprovalApproveResponse`: the phone picks the number; the link is then spent. */
  approve: '/approval/approve',
  /** `ApprovalWaitBody` → `ApprovalWaitResponse`: the asking browser's long poll (about 25 s), asked again while `waiting`. */
  wait: '/approval/wait',
} as const;

/** `POST /auth/request` with an approval: the usual body plus the key. */
export interface ApprovalRequestBody extends RequestBody {
  /** base64url SHA-256 (43 characters) of 32 random bytes the asking browser keeps until it collects. */
  approvalKey?: string;
}

/** What the asking device shows and later waits on. The same shape for every address. */
export interface ApprovalTicket {
  /** Names the wait; opaque (sealed by the server), at most 1,024 characters. */
  id: string;
  /** Two digits, 10 to 99: "Opening the link on another device? Pick 47 there." */
  number: number;
}

/** `202` from `POST /auth/request` when the body carried `approvalKey`. */
export interface ApprovalRequestResponse extends RequestResponse {
  approval?: ApprovalTicket;
}

/** `POST /auth/approval/describe`: the token of the magic link. */
export interface ApprovalDescribeBody {
  token: string;
}

/** `200` from `POST /auth/approval/describe`. */
export interface ApprovalDescription {
  /** The asking browser and system from its User-Agent, "Chrome on macOS" (English; "a browser" when unknown). */
  device: string;
  /** When the code was asked for, ISO 8601. */
  askedAt: string;
  /** Seconds since then, by the server's clock (a phone's own clock may be wrong). */
  secondsAgo: number;
  /** Three numbers, the right one among them; the same three in the same order however often asked. */
  choices: number[];
}

/** `POST /auth/approval/approve`. */
export interface ApprovalApproveBody {
  token: string;
  number: number;
}

/** `200` from `POST /auth/approval/approve`: the asking device is signed in; this one holds no session. */
export interface ApprovalApproveResponse {
  approved: true;
}

/** `POST /auth/approval/wait`: the ticket's id and the secret whose SHA-256 was `approvalKey`. */
export interface ApprovalWaitBody {
  id: string;
  /** The 32 bytes, base64url (43 characters). */
  secret: string;
}

/**
 * `200` from `POST /auth/approval/wait`: signed in (`VerifyResponse`, no token in cookie mode), or
 * still `waiting` (ask again), or `refused` (a wrong number was picked: stop waiting; the code
 * still works unless that was the last wrong attempt allowed). An expired sequence is
 * `401 expired_code`. A sequence with nothing to collect (codes burnt, or signed in another way)
 * answers `waiting` until it expires, as an unknown address's does: stop waiting once the code
 * step is left.
 */
export type ApprovalWaitResponse = (VerifyResponse & { status: 'approved' }) | { status: 'waiting' | 'refused' };

/**
 * The error codes only approval calls answer with. The core's catalogs need no sentence for them:
 * the approval module brings its own (in every language).
 */
export type ApprovalErrorCode = 'invalid_approval' | 'approval_refused' | 'approval_not_waiting';
