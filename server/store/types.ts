import type { Locale, User } from '../../contract/index.ts';
import type { UserListQuery, UserPage } from './user-list.ts';

/** One request for a login: one code and one link, mailed together. */
export interface SequenceRecord {
  id: string;
  /** HMAC of `code:<id>:<code>`: the code itself is never stored. */
  codeHash: string;
  /** HMAC of `link:<token>`: the link token itself is never stored. */
  tokenHash: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  expiresAt: number;
  /** Set when the code or link was used: single use. */
  usedAt: number | null;
  /** Set when too many wrong codes burnt it. */
  burntAt: number | null;
  locale: Locale;
  /** Stored on the user if this sequence creates it. */
  userData: Record<string, unknown>;
  /** Present when the asking browser may be approved from another device (login/approval-state.ts). */
  approval?: ApprovalRecord;
  /**
   * Present on a code that confirms an account change rather than signs in (account/account-codes.ts):
   * such a sequence never signs anyone in, and a sign-in sequence never confirms a change.
   */
  purpose?: SequencePurpose;
}

/** What a code of a signed-in user confirms: moving the account to this (new) address, or erasing it. */
export type SequencePurpose = { kind: 'email_change'; userId: string; email: string } | { kind: 'deletion'; userId: string };

/** A cross-device approval of one sequence: who asked, the number to pick, and what became of it. */
export interface ApprovalRecord {
  /** base64url SHA-256 of the secret the asking browser keeps (`approvalKey`): proves it is the one collecting. */
  keyHash: string;
  /** The two digits (10–99) the asking device shows. */
  number: number;
  /** The asking request's browser and system, "Chrome on macOS". */
  device: string;
  /** When the asking browser last asked or waited, ms since the epoch: older than 20 s, it stopped waiting. */
  seenAt: number;
  /** Set by the right number: the sequence is then used, and only the asking browser may collect. */
  approvedAt: number | null;
  /** Set by a wrong number: this approval is over for good (the link still signs in where it is opened). */
  refusedAt: number | null;
  /** Set when the asking browser collected its session: exactly once. */
  collectedAt: number | null;
}

/** Everything about one email address's logins in flight, updated as one atomic unit. */
export interface LoginState {
  emailKey: string;
  /** Where mail for this login goes when there is no user yet. */
  address: string;
  sequences: SequenceRecord[];
  /** Wrong codes against the codes live together (counted across resends). */
  attempts: number;
  /** When the last code was requested (the resend limit), ms since the epoch. */
  lastRequestAt: number | null;
  /** When codes were requested in the last hour (the hourly cap). */
  requestTimes: number[];
  /** When the last wrong code came (the lockout after too many in a row). */
  lastFailureAt: number | null;
  /**
   * When a phone picked a wrong number (cross-device approval): no approval for this address until
   * a sign-in by code, link or approval clears it, so a phisher's repeated prompts get one guess
   * in all, not one per mail. Absent when there is none (states stored before it).
   */
  approvalsPausedAt?: number;
}

/** The stored user; `email` is the address mail goes to, `emailKey` its identity key. */
export interface UserRecord extends User {
  emailKey: string;
  /**
   * Set by an operator's block (ms since the epoch): a sign-in request for the address gets the
   * same 202 as anyone's and no mail, and no code, link, passkey or approval signs in. Absent
   * (or null) when not blocked, as on every user stored before blocking existed.
   */
  blockedAt?: number | null;
  /**
   * Authenticator-app codes (second-factor/): absent or null when off. The secret is sealed with
   * AES-256-GCM under a key derived from SECRET (never the base32 a person typed), and the
   * recovery codes are keyed hashes; a used one is removed.
   */
  totp?: TotpRecord | null;
}

/** A user's second factor, as stored. */
export interface TotpRecord {
  /** `v1.<iv>.<ciphertext>.<tag>` (base64url): the 20-byte secret under AES-256-GCM, key HKDF(SECRET, 'totp'). */
  secret: string;
  /** When it was turned on, ms since the epoch. */
  enabledAt: number;
  /** Keyed hashes (`recovery:<userId>:<code>`) of the recovery codes not yet used. */
  recoveryCodes: string[];
}

export interface SessionRecord {
  /** HMAC of `session:<token>`. */
  tokenHash: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
  /**
   * How it was signed in. Adding a passkey needs a session made by email (`code` or `link`) in the
   * last 10 minutes; absent on sessions stored before passkeys, which are older than that anyway.
   */
  method?: 'code' | 'link' | 'passkey';
}

/** One WebAuthn credential (a passkey) of a user. */
export interface PasskeyRecord {
  /** The credential ID, base64url: unique across all users. */
  id: string;
  userId: string;
  /** The COSE public key, base64url. */
  publicKey: string;
  /** The signature counter last seen; 0 for authenticators that keep none (most synced passkeys). */
  counter: number;
  /** Where the authenticator said it can be reached ('internal', 'hybrid', 'usb'…), for `allowCredentials` hints. */
  transports: string[];
  /** Backed up to a cloud keychain: a synced, multi-device passkey. */
  backedUp: boolean;
  /** What its owner calls it (from the User-Agent at first, renamable). */
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

/**
 * Until when records matter, from the login rules (login/retention.ts): a store that expires
 * records by itself (Redis) sets each key's expiry from it; PostgreSQL stores it, indexed, for its sweep.
 */
export interface Retention {
  /** Ms since the epoch after which this login state no longer matters and may be deleted. */
  loginState(state: LoginState): number;
  /** Ms since the epoch after which the link-token index entry of this sequence may be deleted. */
  link(sequence: SequenceRecord): number;
}

/** A change to one record: runs synchronously with exclusive access; returns the new value and a result. */
export type Change<S, T> = (current: S | null) => { next: S | null; result: T };

/**
 * The storage behind the login service. Adapters: the lowdb JSON file (default), PostgreSQL and Redis.
 *
 * Every method resolves only once its write is durable, so a request is answered only after
 * what it did is stored. `updateLogin` and `updateUser` are the atomic units: `change` sees the
 * current value and no other change to the same key runs between its read and its write, which is
 * what makes "single use under 20 concurrent verifies" and exact attempt counting hold.
 */
export interface Store {
  updateLogin<T>(emailKey: string, change: Change<LoginState, T>): Promise<T>;
  /** The email key whose login holds a sequence with this link-token hash. */
  findLoginKeyByTokenHash(tokenHash: string): Promise<string | null>;

  findUserByEmailKey(emailKey: string): Promise<UserRecord | null>;
  findUserById(id: string): Promise<UserRecord | null>;
  updateUser<T>(emailKey: string, change: Change<UserRecord, T>): Promise<T>;

  createSession(session: SessionRecord): Promise<void>;
  findSession(tokenHash: string): Promise<SessionRecord | null>;
  /** Returns whether a session was removed. */
  deleteSession(tokenHash: string): Promise<boolean>;
  /**
   * Deletes every session of one user (a ban, "sign out everywhere") as one atomic write; returns
   * how many it removed. A session created concurrently is either removed or left findable by a
   * later call: never stored outside the store's index of the user's sessions.
   */
  deleteUserSessions(userId: string): Promise<number>;
  /**
   * The user's sessions that have not expired, oldest first (an operator's `users show` and
   * `export`): read from the same index `deleteUserSessions` uses.
   */
  listUserSessions(userId: string): Promise<SessionRecord[]>;

  /** Stores a new passkey; `false` (and nothing stored) when a passkey with this credential ID exists, whoever owns it. */
  addPasskey(passkey: PasskeyRecord): Promise<boolean>;
  findPasskey(id: string): Promise<PasskeyRecord | null>;
  /** The user's passkeys, oldest first. */
  listPasskeys(userId: string): Promise<PasskeyRecord[]>;
  /** Changes one passkey atomically (counter and last use after a sign-in, a rename); `next: null` removes it. */
  updatePasskey<T>(id: string, change: Change<PasskeyRecord, T>): Promise<T>;

  /**
   * Records that `key` (a spent WebAuthn challenge, later a used TOTP code) was used, until
   * `expiresAt`; `false` when it already was. Atomic across instances: of two concurrent claims of
   * one key exactly one gets `true`. Expired claims go in the sweep (or expire by themselves).
   */
  claimOnce(key: string, expiresAt: number): Promise<boolean>;

  /**
   * Erases a user and everything about them: the user record, every session, every passkey, and
   * the login state of their address with its link-token index entries. Returns what it removed,
   * or null when there is no such user. Atomic in every store (one journal line, one Lua script,
   * one transaction), and safe to call again. Afterwards the address signs up as a new user.
   * A session created concurrently may outlive it as a session of no user (found by
   * `findSession`, so the caller ends every session before, as the library does).
   */
  deleteUser(userId: string): Promise<{ sessions: number; passkeys: number } | null>;
  /**
   * Moves a user to another address (a confirmed change of email) in one atomic step: the record
   * now keyed by `to.emailKey` with `email` set, the old key free. `'taken'` (and nothing changed)
   * when another user holds the new key; null when there is no such user. Sessions and passkeys
   * follow by the user id; the login states of both addresses stay as they are.
   */
  changeUserEmail(userId: string, to: { email: string; emailKey: string }): Promise<UserRecord | 'taken' | null>;
  /** A page of users (user-list.ts: order, search, cursor); a bad query throws `InvalidUserListQuery`. */
  listUsers(query: UserListQuery): Promise<UserPage>;
  countUsers(): Promise<number>;

  /**
   * Housekeeping in one write: `tidy` sees every login state and returns it (maybe trimmed) or
   * null to delete it; sessions expired at `now` are deleted. Returns how many of each went.
   */
  sweep(now: number, tidy: (state: LoginState) => LoginState | null): Promise<{ logins: number; sessions: number }>;

  // --- The audit trail and the overview's daily counts (issue 15; audit-records.ts checks the queries) ---
  /** Appends entries to the trail, in one write (one line batch, one script, one INSERT). */
  appendAudit(records: AuditRecord[]): Promise<void>;
  /**
   * Entries newest first, those of one user when `userId` is given, older than `before` (ms;
   * pages back: pass the oldest `at` of the last page). A bad query throws `InvalidAuditQuery`.
   */
  listAudit(query: AuditQuery): Promise<AuditRecord[]>;
  /**
   * Deletes the entries older than `before` (ms), and the daily counts of the days that ended
   * before it, in batches; returns how many entries went. The JSON store deletes whole day files:
   * the entries of `before`'s own day stay until the next day's sweep.
   */
  sweepAudit(before: number): Promise<number>;
  /** Adds `counts` to the day's (`YYYY-MM-DD`, UTC) counters: atomic across instances. */
  addDailyCounts(day: string, counts: Record<string, number>): Promise<void>;
  /** The counters of each day from `fromDay` to `toDay` (both included, at most 400 days) that has any. */
  listDailyCounts(fromDay: string, toDay: string): Promise<DailyCounts>;
  /** Sessions that have not expired at `now` (the overview's "active sessions"). */
  countSessions(now: number): Promise<number>;

  close(): Promise<void>;
}

// --- The audit trail and daily counts (issue 15) ---

/**
 * One entry of the audit trail as a store keeps it (observability/audit.ts makes them): who by
 * id, the client by its rate-limit key; never an address, a code or a token.
 */
export interface AuditRecord {
  /** Ms since the epoch. */
  at: number;
  /** `sign_in`, `user_deleted`, `admin_action`… (audit.ts). */
  event: string;
  userId?: string;
  /** On `sign_in`: `code`, `link`, `passkey`. */
  method?: string;
  /** On `admin_action`: what was done. */
  action?: string;
  /** Who did it, when not the user: an admin's user id, or `cli`. */
  by?: string;
  /** The client's rate-limit key (IPv4, or the IPv6 /64). */
  clientKey?: string;
}

export interface AuditQuery {
  userId?: string | undefined;
  /** Ms since the epoch: only entries strictly older. Default: no bound. */
  before?: number | undefined;
  /** 1 to 200. */
  limit: number;
}

/** Day (`YYYY-MM-DD`, UTC) → counter (`sign_in:code`, `mail:sent`…) → count. */
export type DailyCounts = Record<string, Record<string, number>>;

/** A store that cannot be opened: corrupt, unreadable or wrong-shaped file. Stops the start. */
export class StoreError extends Error {
  override name = 'StoreError';
}
