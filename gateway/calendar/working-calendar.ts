import { GatewayError } from '../../contracts/errors/gateway-error';
import { isoDate, parseIsoDate, weekdayOf, type IsoDate } from './beijing-time';

const DAY_MS = 24 * 60 * 60 * 1000;
import type { CalendarDay, CalendarYear } from './calendar-year';

/** What kind of day a date is on the PRC calendar. */
export type DayKind = 'workday' | 'weekend' | 'holiday' | 'adjusted-workday';

/** The status of one Beijing date. */
export interface DayStatus {
  readonly date: IsoDate;
  readonly kind: DayKind;
  /** True for `workday` and `adjusted-workday`. */
  readonly working: boolean;
  /** The holiday's name (for a holiday, or the holiday an adjusted working day makes up for). */
  readonly name?: string;
  readonly nameEn?: string;
  /** True when the year is not in the calendar and the day was taken as Monday–Friday. */
  readonly provisional: boolean;
}

/**
 * A result computed from the calendar. `provisional` is true when a year it needed is not in
 * the data; such years were counted Monday–Friday and are named in `missingYears`.
 */
export interface CalendarComputation<T> {
  readonly value: T;
  readonly provisional: boolean;
  readonly missingYears: readonly number[];
}

interface YearIndex {
  readonly data: CalendarYear;
  readonly holidays: ReadonlyMap<string, CalendarDay>;
  readonly workdays: ReadonlyMap<string, CalendarDay>;
}

/**
 * The PRC working-day calendar: weekends and public holidays off, adjusted working days (调休)
 * on. Works on Beijing dates `YYYY-MM-DD` only, so nothing depends on the process time zone.
 * A date in a year without data is computed Monday–Friday and flagged provisional.
 */
export class WorkingCalendar {
  private readonly byYear = new Map<number, YearIndex>();

  /** Builds the calendar from years of data; a later entry for the same year replaces an earlier one. */
  constructor(years: Iterable<CalendarYear>) {
    for (const data of years) {
      this.byYear.set(data.year, {
        data,
        holidays: new Map(data.holidays.map((d) => [d.date, d])),
        workdays: new Map(data.workdays.map((d) => [d.date, d])),
      });
    }
  }

  /** A new calendar with `years` added (replacing years already present). */
  withYears(years: Iterable<CalendarYear>): WorkingCalendar {
    return new WorkingCalendar([...[...this.byYear.values()].map((y) => y.data), ...years]);
  }

  /** The years that have data, ascending. */
  years(): number[] {
    return [...this.byYear.keys()].sort((a, b) => a - b);
  }

  /** True when `year` has data. */
  hasYear(year: number): boolean {
    return this.byYear.has(year);
  }

  /** The data of `year`; throws `calendar.missing-year` when there is none. */
  year(year: number): CalendarYear {
    const entry = this.byYear.get(year);
    if (!entry) throw this.missingYearError(year);
    return entry.data;
  }

  /** The error for a year without data, naming the years that have data and how to add one. */
  missingYearError(year: number): GatewayError {
    const ys = this.years();
    const range = ys.length === 0 ? 'no years' : `${ys[0]}–${ys[ys.length - 1]}`;
    return new GatewayError(
      'calendar.missing-year',
      `the working-day calendar has no data for ${year} (it has ${range}); supply the State Council's schedule for ${year} as a calendar file (--calendar FILE or MMGW_CALENDAR_DIR)`,
      { year, available: ys },
    );
  }

  /** The status of the Beijing date `date`. */
  day(date: IsoDate): DayStatus {
    const { year } = parseIsoDate(date);
    return this.classify(date, year, weekdayOf(date));
  }

  private classify(date: IsoDate, year: number, weekday: number): DayStatus {
    const entry = this.byYear.get(year);
    const weekend = weekday === 0 || weekday === 6;
    if (!entry) return { date, kind: weekend ? 'weekend' : 'workday', working: !weekend, provisional: true };
    const holiday = entry.holidays.get(date);
    if (holiday) return { date, kind: 'holiday', working: false, ...names(holiday), provisional: false };
    const adjusted = entry.workdays.get(date);
    if (adjusted) return { date, kind: 'adjusted-workday', working: true, ...names(adjusted), provisional: false };
    return { date, kind: weekend ? 'weekend' : 'workday', working: !weekend, provisional: false };
  }

  /**
   * The `n`th working day strictly after `date` (n ≥ 1). Any year without data that the count
   * crosses makes the result provisional.
   */
  nthWorkingDayAfter(date: IsoDate, n: number): CalendarComputation<IsoDate> {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`nthWorkingDayAfter: n must be a positive integer, got ${n}`);
    const missing = new Set<number>();
    const { year, month, day } = parseIsoDate(date);
    // Walk whole days on a UTC-midnight timeline that stands for Beijing dates (no DST, no zone).
    let t = Date.UTC(year, month - 1, day);
    let current = date;
    let counted = 0;
    while (counted < n) {
      t += DAY_MS;
      const d = new Date(t);
      const y = d.getUTCFullYear();
      current = isoDate(y, d.getUTCMonth() + 1, d.getUTCDate());
      const status = this.classify(current, y, d.getUTCDay());
      if (status.provisional) missing.add(y);
      if (status.working) counted += 1;
    }
    const missingYears = [...missing].sort((a, b) => a - b);
    return { value: current, provisional: missingYears.length > 0, missingYears };
  }
}

function names(day: CalendarDay): { name: string; nameEn?: string } {
  return day.nameEn === undefined ? { name: day.name } : { name: day.name, nameEn: day.nameEn };
}
