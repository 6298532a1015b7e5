import { loadCalendar, type WorkingCalendar } from '../calendar';
import type { SpecialPeriod } from '../deadlines';
import { GatewayError } from '../../contracts/errors/gateway-error';

/** How the contact registry checks and times changes. */
export interface ContactOptions {
  /**
   * The working calendar the 3-wd deadline of `contact-change` is counted on.
   * @defaultValue the built-in PRC calendar (2012–2026)
   */
  readonly calendar?: WorkingCalendar;
  /** Art. 16 special periods, passed on to computeDue. */
  readonly specialPeriods?: readonly SpecialPeriod[];
  /**
   * How many days after today (Beijing) an effective date may lie: a change announced further
   * ahead is refused as a likely typo (`contacts.effective-date-too-far`).
   * @defaultValue 90
   */
  readonly maxFutureDays?: number;
}

/** The defaults of ContactOptions, written once. */
export const DEFAULT_CONTACT_OPTIONS = { maxFutureDays: 90 } as const;

let builtIn: WorkingCalendar | undefined;

/** The options with their defaults filled in; a bad bound is `contacts.bad-option`. */
export function resolveContactOptions(options: ContactOptions = {}): Required<Omit<ContactOptions, 'specialPeriods'>> & Pick<ContactOptions, 'specialPeriods'> {
  const maxFutureDays = options.maxFutureDays ?? DEFAULT_CONTACT_OPTIONS.maxFutureDays;
  if (!Number.isInteger(maxFutureDays) || maxFutureDays < 0) {
    throw new GatewayError('contacts.bad-option', `maxFutureDays must be a whole number of days ≥ 0, got ${String(maxFutureDays)}`, { field: 'maxFutureDays' });
  }
  return { calendar: options.calendar ?? (builtIn ??= loadCalendar()), maxFutureDays, specialPeriods: options.specialPeriods };
}
