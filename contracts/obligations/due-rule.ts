import type { EventLevel } from './event-levels';

/**
 * How an obligation's due instant follows from the instant its clock starts. Dates are
 * Beijing dates (UTC+8); "end of a day" is 24:00 Beijing = 00:00 +08:00 of the next day.
 * `default: true` marks a value the regulation does not fix: the gateway's default, which is
 * configuration (rules.md "Default" column).
 */
export type DueRule =
  /** Clock hours, 24/7. */
  | { readonly kind: 'hours'; readonly hours: number; readonly default?: boolean }
  /** End of the Nth working day (PRC calendar) after the Beijing day on which the clock starts. */
  | { readonly kind: 'working-days'; readonly days: number; readonly default?: boolean }
  /** N × 24 h after the start (Beijing has no daylight saving, so N calendar days). */
  | { readonly kind: 'calendar-days'; readonly days: number; readonly default?: boolean }
  /** The clock starts at the end of the Beijing month of the start; due at the end of day N of the next month. */
  | { readonly kind: 'monthly'; readonly dayOfNextMonth: number; readonly default?: boolean }
  /** No deadline (for the party named): say why. */
  | { readonly kind: 'none'; readonly reason: string }
  /** The same clock as another obligation (at the same event level). */
  | { readonly kind: 'same-as'; readonly obligation: string; readonly reason: string };

/** A due rule per event level (Art. 8), for obligations whose deadline depends on the level. */
export interface ByLevel {
  readonly byLevel: Readonly<Record<EventLevel, DueRule>>;
}

/** The declared deadline of an obligation: one rule, or one per level. */
export type DueSpec = DueRule | ByLevel;

/** True when the spec has one rule per level. */
export function isByLevel(spec: DueSpec): spec is ByLevel {
  return 'byLevel' in spec;
}
