import { GatewayError } from '../../contracts/errors/gateway-error';

/**
 * Beijing time is UTC+8 all year (no daylight saving since 1991). Every date computation of the
 * clocks works on Beijing calendar dates derived from UTC instants by adding 8 h and reading
 * the getUTC* fields, so results never depend on the process time zone.
 */
export const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A civil date `YYYY-MM-DD` (in these modules: a date in Beijing). */
export type IsoDate = string;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Formats year, month (1–12) and day as `YYYY-MM-DD`. */
export function isoDate(year: number, month: number, day: number): IsoDate {
  const d = new Date(Date.UTC(year, month - 1, day));
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Splits a `YYYY-MM-DD` date; throws `calendar.invalid-date` when it is not a real date. */
export function parseIsoDate(date: string, label = 'date'): { year: number; month: number; day: number } {
  const m = ISO_DATE.exec(date);
  if (m) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    if (isoDate(year, month, day) === date) return { year, month, day };
  }
  throw new GatewayError('calendar.invalid-date', `${label}: "${date}" is not a calendar date YYYY-MM-DD`, { field: label, value: date });
}

/** True when `date` is a real `YYYY-MM-DD` date. */
export function isIsoDate(date: string): boolean {
  const m = ISO_DATE.exec(date);
  return m !== null && isoDate(Number(m[1]), Number(m[2]), Number(m[3])) === date;
}

/**
 * `instant` as Beijing wall-clock text, `YYYY-MM-DDTHH:MM:SS.sss` (no offset): cut it to what a
 * page shows — `.slice(0, 16)` for a `datetime-local` value, `.slice(0, 7)` for the month.
 */
export function beijingWallClock(instant: Date): string {
  return new Date(instant.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 23);
}

/** The Beijing calendar date on which `instant` falls. */
export function beijingDateOf(instant: Date): IsoDate {
  const shifted = new Date(instant.getTime() + BEIJING_OFFSET_MS);
  return isoDate(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
}

/** The instant 00:00 Beijing time on `date`. */
export function startOfBeijingDay(date: IsoDate): Date {
  const { year, month, day } = parseIsoDate(date);
  return new Date(Date.UTC(year, month - 1, day) - BEIJING_OFFSET_MS);
}

/** The end of `date` in Beijing: 24:00, i.e. 00:00 +08:00 of the next day. */
export function endOfBeijingDay(date: IsoDate): Date {
  return new Date(startOfBeijingDay(date).getTime() + DAY_MS);
}

/** `date` moved by `days` calendar days. */
export function addDays(date: IsoDate, days: number): IsoDate {
  const { year, month, day } = parseIsoDate(date);
  return isoDate(year, month, day + days);
}

/** Day of the week of `date`: 0 Sunday … 6 Saturday. */
export function weekdayOf(date: IsoDate): number {
  const { year, month, day } = parseIsoDate(date);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/** The year of a `YYYY-MM-DD` date. */
export function yearOf(date: IsoDate): number {
  return parseIsoDate(date).year;
}

/** Formats `instant` in Beijing time as ISO 8601 with `+08:00` (milliseconds only when not zero). */
export function formatBeijing(instant: Date): string {
  const s = new Date(instant.getTime() + BEIJING_OFFSET_MS);
  const ms = s.getUTCMilliseconds();
  const base = `${isoDate(s.getUTCFullYear(), s.getUTCMonth() + 1, s.getUTCDate())}T${pad(s.getUTCHours())}:${pad(s.getUTCMinutes())}:${pad(s.getUTCSeconds())}`;
  return `${base}${ms === 0 ? '' : `.${pad(ms, 3)}`}+08:00`;
}
