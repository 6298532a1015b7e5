import { PermanentError } from './permanent-error';
import { TransientError } from './transient-error';
import type { RetryPolicy } from './topology';

/** What the bus does with a message whose handler failed. */
export type FailureOutcome =
  | { readonly action: 'retry'; readonly delayMs: number; readonly nextAttempt: number; readonly code: string; readonly message: string }
  | { readonly action: 'park'; readonly code: string; readonly message: string; readonly reason: 'permanent' | 'attempts-exhausted' };

/** The delay before attempt `attempt + 1` after attempt `attempt` failed: base × factor^(attempt−1), capped. */
export function retryDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, Math.round(policy.baseDelayMs * policy.factor ** (attempt - 1)));
}

/**
 * Decides by the error's class, never its text: PermanentError parks; TransientError and any
 * other error retry until the policy's last attempt, then park.
 */
export function failureOutcome(error: unknown, attempt: number, policy: RetryPolicy): FailureOutcome {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 200);
  if (error instanceof PermanentError) return { action: 'park', code: error.code, message, reason: 'permanent' };
  const own = typeof (error as { code?: unknown })?.code === 'string' ? String((error as { code: string }).code) : undefined;
  const code = error instanceof TransientError ? error.code : (own ?? 'bus.handler-failed');
  if (attempt >= policy.maxAttempts) return { action: 'park', code, message, reason: 'attempts-exhausted' };
  return { action: 'retry', delayMs: retryDelay(policy, attempt), nextAttempt: attempt + 1, code, message };
}
