import type { ErrorCode } from '../../contracts/errors/registry';

/**
 * Thrown by a message handler to say "never": no retry can fix this message, so the bus parks
 * it at once, for an operator to look at and redrive (bullmq's UnrecoverableError).
 */
export class PermanentError extends Error {
  readonly code: ErrorCode;

  constructor(message: string, options: { code?: ErrorCode; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'PermanentError';
    this.code = options.code ?? 'bus.handler-permanent';
  }
}
