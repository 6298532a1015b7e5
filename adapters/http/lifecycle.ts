import type { NextFunction, Request, Response } from 'express';
import { problemFor, sendProblem } from './problem';

/** Per-request state set by `Lifecycle.middleware`. */
export interface LifecycleLocals {
  /** Aborted when the client goes away, the request times out or the server drains. */
  signal: AbortSignal;
}

/** The request's abort signal (after the lifecycle middleware). */
export function signalOf(res: Response): AbortSignal {
  return (res.locals as LifecycleLocals).signal;
}

/**
 * In-flight requests, their time-out and the drain on shutdown. Once `drain()` is called, new
 * requests get 503 `http.shutting-down` with `Connection: close`, long polls are told to answer
 * now, and `idle()` resolves when the last in-flight request has finished.
 */
export class Lifecycle {
  private inFlight = 0;
  private draining = false;
  private readonly drainController = new AbortController();
  private waiters: (() => void)[] = [];
  private readonly responses = new Set<Response>();

  constructor(private readonly timeoutMs: number) {}

  /** How many requests are being answered. */
  get active(): number {
    return this.inFlight;
  }

  /** Whether the server is draining. */
  get isDraining(): boolean {
    return this.draining;
  }

  /** Stops taking requests and wakes long polls. */
  drain(): void {
    this.draining = true;
    // Responses still to be written close their connection, so keep-alive clients reconnect elsewhere.
    for (const res of this.responses) if (!res.headersSent) res.setHeader('Connection', 'close');
    this.drainController.abort();
  }

  /** Resolves when no request is in flight. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The middleware: counts the request, arms its time-out, refuses it while draining. */
  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    if (this.draining) {
      res.setHeader('Connection', 'close');
      sendProblem(res, problemFor('http.shutting-down', 'the gateway is shutting down; retry shortly'));
      return;
    }
    this.inFlight += 1;
    const controller = new AbortController();
    const onDrain = () => controller.abort(new Error('draining'));
    this.drainController.signal.addEventListener('abort', onDrain, { once: true });
    (res.locals as LifecycleLocals).signal = controller.signal;
    const timer = setTimeout(() => {
      controller.abort(new Error('timeout'));
      if (!res.headersSent) {
        res.setHeader('Connection', 'close');
        sendProblem(res, problemFor('http.timeout', `the request took longer than ${this.timeoutMs} ms`));
      }
    }, this.timeoutMs);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      this.drainController.signal.removeEventListener('abort', onDrain);
      if (!res.writableFinished) controller.abort(new Error('client gone'));
      this.inFlight -= 1;
      this.responses.delete(res);
      if (this.inFlight === 0) {
        const waiters = this.waiters;
        this.waiters = [];
        for (const w of waiters) w();
      }
    };
    this.responses.add(res);
    res.on('finish', finish);
    res.on('close', finish);
    next();
  };
}
