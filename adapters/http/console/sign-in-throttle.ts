import type { Clock } from '../../../gateway/clock';

/** How many failed sign-ins one client address may make, and over which window. */
export interface ThrottlePolicy {
  /** Failed sign-ins within the window after which the address is refused. */
  readonly maxFailed: number;
  readonly windowMinutes: number;
}

/** What the throttle says about an address. */
export type ThrottleCheck = { readonly ok: true } | { readonly ok: false; readonly failures: number; readonly retryAfterSeconds: number; readonly until: Date };

/** More addresses than this are not tracked: the ones with the oldest last failure are forgotten first. */
const MAX_ADDRESSES = 10_000;

/**
 * The per-address limit on console sign-ins (issue 8, beyond the per-account lock-out of
 * `checkSignIn`): failed sign-ins — a wrong password, an unknown user, a locked account, a
 * missing client certificate — are counted per client address over a sliding window; once an
 * address has `maxFailed` of them in the window, every sign-in attempt from it is refused
 * (429, Retry-After) before any password is checked, until its oldest counted failure leaves the
 * window. A successful sign-in does not clear the count (one known account must not reset a
 * guessing run on others). Kept in this process's memory, like the API's token buckets: each
 * gateway process counts what it sees.
 */
export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly policy: ThrottlePolicy, private readonly clock: Clock) {}

  private get windowMs(): number {
    return this.policy.windowMinutes * 60_000;
  }

  /** The failures of `address` still inside the window (older ones dropped). */
  private recent(address: string, now: number): number[] {
    const list = (this.failures.get(address) ?? []).filter((t) => t > now - this.windowMs);
    if (list.length === 0) this.failures.delete(address);
    else this.failures.set(address, list);
    return list;
  }

  /** May `address` try to sign in now? */
  check(address: string): ThrottleCheck {
    const now = this.clock.now().getTime();
    const list = this.recent(address, now);
    if (list.length < this.policy.maxFailed) return { ok: true };
    // Allowed again once enough of the counted failures have left the window.
    const until = list[list.length - this.policy.maxFailed]! + this.windowMs;
    return { ok: false, failures: list.length, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)), until: new Date(until) };
  }

  /** Counts a failed sign-in of `address`. */
  fail(address: string): void {
    const now = this.clock.now().getTime();
    const list = this.recent(address, now);
    list.push(now);
    this.failures.delete(address);
    this.failures.set(address, list);
    if (this.failures.size > MAX_ADDRESSES) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
  }
}
