/** The login rules, each configurable (config.ts); each with its number and reason: docs/login-rules.md. */
export interface LoginRules {
  /** Digits in a code: 6 (NIST 800-63B: at least 6). */
  codeLength: number;
  /** Lifetime of a code and its link: 600 s (ASVS 2.7.2 asks for short-lived out-of-band codes). */
  codeTtlSeconds: number;
  /** One request per email per this many seconds: 60, as in the Supabase-style seed. */
  resendSeconds: number;
  /** Wrong codes per email across resends before every live code is burnt: 5. */
  maxAttempts: number;
  /** Session lifetime: 30 days (NIST AAL1 reauthentication ≤ 30 days). */
  sessionTtlSeconds: number;
  /** `false`: unknown emails are answered exactly like known ones and get no mail. */
  userCreation: boolean;
  /** Codes per email per hour, on top of the resend wait: 5, so a mailbox cannot be flooded. */
  codesPerHour: number;
  /**
   * Consecutive wrong codes per email, across every code, before the address is locked: 100
   * (NIST 800-63B 5.2.2: at most 100). Only a login resets the count.
   */
  maxConsecutiveFailures: number;
  /** How long that lock lasts after the last wrong code: 24 hours. */
  lockoutSeconds: number;
  /** `false` (RATE_LIMITS=off, refused in production) lifts the per-email and per-IP limits, for load tests. */
  rateLimits: boolean;
}

/** The code's lifetime as the mail states it, "valid for N minutes": whole minutes, rounded up. */
export function expiresInMinutes(rules: Pick<LoginRules, 'codeTtlSeconds'>): number {
  return Math.ceil(rules.codeTtlSeconds / 60);
}
