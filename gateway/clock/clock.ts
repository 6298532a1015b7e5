/**
 * The one way domain code learns the time (style.md, "Time and randomness are injected"):
 * rules take a Clock or an explicit instant, never `Date.now()`.
 */
export interface Clock {
  /** The current instant. */
  now(): Date;
}
