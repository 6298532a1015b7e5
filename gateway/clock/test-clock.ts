import type { Clock } from './clock';

/** A clock that moves only when told to, for tests and simulations. */
export class TestClock implements Clock {
  private current: number;

  /** Starts at `start` (an instant or an ISO 8601 string with offset). */
  constructor(start: Date | string) {
    this.current = new Date(start).getTime();
    if (Number.isNaN(this.current)) throw new RangeError(`TestClock: invalid start ${String(start)}`);
  }

  /** The instant the clock is set to (a fresh Date each call). */
  now(): Date {
    return new Date(this.current);
  }

  /** Sets the clock to `instant`. */
  set(instant: Date | string): void {
    const t = new Date(instant).getTime();
    if (Number.isNaN(t)) throw new RangeError(`TestClock: invalid instant ${String(instant)}`);
    this.current = t;
  }

  /** Moves the clock forward (or back, if negative) by `ms` milliseconds. */
  advance(ms: number): void {
    this.current += ms;
  }
}
