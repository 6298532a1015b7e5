import type { ErrorCode } from '../../contracts/errors/registry';

/**
 * Thrown by a message handler to say "not now": the bus retries the message later with a
 * growing delay, and parks it after the queue's last attempt. The code rides in the message's
 * headers to the next attempt (style.md, "Retry is decided by class, not by message text").
 */
export class TransientError extends Error {
  readonly code: ErrorCode;

  constructor(message: string, options: { code?: ErrorCode; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'TransientError';
    this.code = options.code ?? 'bus.handler-transient';
  }
}
