import type { NextFunction, Request, Response } from 'express';
import type { Clock } from '../../gateway/clock';
import { callerOf } from './caller';
import { problemFor, sendProblem } from './problem';

/** The per-institution rate: `burst` requests at once, refilled at `perMinute`. */
export interface RateLimitOptions {
  readonly perMinute: number;
  readonly burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per key (the caller's institution code): each request takes one token; tokens
 * come back at `perMinute / 60` per second up to `burst`. Time comes from the injected clock.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(private readonly options: RateLimitOptions, private readonly clock: Clock) {
    this.perMs = options.perMinute / 60_000;
  }

  /** Takes a token for `key`: 0 when allowed, else the milliseconds until a token is back. */
  take(key: string): number {
    const now = this.clock.now().getTime();
    const bucket = this.buckets.get(key) ?? { tokens: this.options.burst, at: now };
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + Math.max(0, now - bucket.at) * this.perMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.perMs);
  }
}

/** Middleware answering 429 with `Retry-After` (whole seconds) when the caller's bucket is empty. */
export function rateLimit(buckets: TokenBuckets) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const waitMs = buckets.take(callerOf(res));
    if (waitMs === 0) {
      next();
      return;
    }
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    res.setHeader('Retry-After', String(seconds));
    sendProblem(res, problemFor('http.rate-limited', `${callerOf(res)} has used its request allowance; retry after ${seconds} s`, { retryAfterSeconds: seconds }));
  };
}
