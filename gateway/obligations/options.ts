import { GatewayError } from '../../contracts/errors/gateway-error';
import { loadCalendar } from '../calendar/load-calendar';
import type { WorkingCalendar } from '../calendar/working-calendar';
import { DEFAULT_DEADLINE_CONFIG, type DeadlineConfig } from '../deadlines/deadline-config';
import { DEFAULT_THRESHOLD_VERSIONS, type ThresholdVersion } from '../grading/thresholds';

/** The reminder fractions of an obligation's time when none are configured: 50 %, 75 %, 90 %. */
export const DEFAULT_REMINDER_FRACTIONS: readonly number[] = [0.5, 0.75, 0.9];

/** What the obligations module is configured with. */
export interface ObligationOptions {
  /** @defaultValue the built-in PRC working-day calendar */
  readonly calendar?: WorkingCalendar;
  /** The gateway's configured default deadlines. */
  readonly deadlines?: DeadlineConfig;
  /** The Art. 8 threshold versions used for re-grading. */
  readonly thresholds?: readonly ThresholdVersion[];
  /** Fractions of an obligation's time at which its party is reminded (strictly between 0 and 1, increasing). */
  readonly reminderFractions?: readonly number[];
}

/** ObligationOptions with the defaults filled in. */
export interface ObligationContext {
  readonly calendar: WorkingCalendar;
  readonly deadlines: DeadlineConfig;
  readonly thresholds: readonly ThresholdVersion[];
  readonly reminderFractions: readonly number[];
}

let builtIn: WorkingCalendar | undefined;

/** Fills in the defaults; refuses bad reminder fractions (`obligation.bad-fractions`). */
export function obligationContext(options: ObligationOptions = {}): ObligationContext {
  const fractions = options.reminderFractions ?? DEFAULT_REMINDER_FRACTIONS;
  fractions.forEach((f, i) => {
    if (!(Number.isFinite(f) && f > 0 && f < 1) || (i > 0 && f <= (fractions[i - 1] as number))) {
      throw new GatewayError('obligation.bad-fractions', `reminderFractions[${i}] = ${f}: each must be strictly between 0 and 1 and larger than the one before`, { field: 'reminderFractions', index: i, value: f });
    }
  });
  return {
    calendar: options.calendar ?? (builtIn ??= loadCalendar()),
    deadlines: options.deadlines ?? DEFAULT_DEADLINE_CONFIG,
    thresholds: options.thresholds ?? DEFAULT_THRESHOLD_VERSIONS,
    reminderFractions: fractions,
  };
}
