import { GatewayError } from '../../contracts/errors/gateway-error';
import { isIsoDate, weekdayOf } from './beijing-time';
import type { CalendarDay, CalendarYear } from './calendar-year';

const YEAR_KEYS = new Set(['year', 'source', 'holidays', 'workdays']);
const DAY_KEYS = new Set(['date', 'name', 'nameEn']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks that `value` is one year of the calendar in the format of `CalendarYear` and returns
 * it. Every problem is reported at once, in one `calendar.bad-file` error naming `origin`
 * (the file) and each problem with its path.
 */
export function parseCalendarYear(value: unknown, origin: string): CalendarYear {
  const problems: string[] = [];
  if (!isRecord(value)) {
    throw badFile(origin, ['the top level must be an object { "year", "holidays", "workdays" }']);
  }
  for (const key of Object.keys(value)) {
    if (!YEAR_KEYS.has(key)) problems.push(`${key}: unknown key (allowed: ${[...YEAR_KEYS].join(', ')})`);
  }
  const year = value.year;
  const yearOk = typeof year === 'number' && Number.isInteger(year) && year >= 1949 && year <= 9999;
  if (!yearOk) problems.push(`year: must be an integer year such as 2027, got ${JSON.stringify(year)}`);
  if (value.source !== undefined && typeof value.source !== 'string') problems.push('source: must be a string');
  const holidays = parseDays(value.holidays, 'holidays', yearOk ? (year as number) : undefined, problems);
  const workdays = parseDays(value.workdays, 'workdays', yearOk ? (year as number) : undefined, problems);
  const holidayDates = new Set(holidays.map((d) => d.date));
  workdays.forEach((d, i) => {
    if (holidayDates.has(d.date)) problems.push(`workdays[${i}].date: ${d.date} is also listed as a holiday`);
    const wd = weekdayOf(d.date);
    if (wd !== 0 && wd !== 6) problems.push(`workdays[${i}].date: ${d.date} is a weekday; adjusted working days (调休) are Saturdays or Sundays`);
  });
  if (problems.length > 0) throw badFile(origin, problems);
  return {
    year: year as number,
    ...(typeof value.source === 'string' ? { source: value.source } : {}),
    holidays,
    workdays,
  };
}

function parseDays(value: unknown, key: 'holidays' | 'workdays', year: number | undefined, problems: string[]): CalendarDay[] {
  if (!Array.isArray(value)) {
    problems.push(`${key}: must be an array of { "date": "YYYY-MM-DD", "name": "…", "nameEn"?: "…" }`);
    return [];
  }
  const days: CalendarDay[] = [];
  const seen = new Set<string>();
  value.forEach((entry: unknown, i) => {
    const path = `${key}[${i}]`;
    if (!isRecord(entry)) {
      problems.push(`${path}: must be an object { "date", "name" }`);
      return;
    }
    for (const k of Object.keys(entry)) {
      if (!DAY_KEYS.has(k)) problems.push(`${path}.${k}: unknown key (allowed: date, name, nameEn)`);
    }
    const { date, name, nameEn } = entry;
    let ok = true;
    if (typeof date !== 'string' || !isIsoDate(date)) {
      problems.push(`${path}.date: must be a date YYYY-MM-DD, got ${JSON.stringify(date)}`);
      ok = false;
    } else if (year !== undefined && !date.startsWith(`${year}-`)) {
      problems.push(`${path}.date: ${date} is not in the file's year ${year}`);
      ok = false;
    } else if (seen.has(date)) {
      problems.push(`${path}.date: ${date} is listed twice`);
      ok = false;
    }
    if (typeof name !== 'string' || name.trim() === '') {
      problems.push(`${path}.name: must be a non-empty string (the holiday's name, e.g. 春节)`);
      ok = false;
    }
    if (nameEn !== undefined && typeof nameEn !== 'string') {
      problems.push(`${path}.nameEn: must be a string`);
      ok = false;
    }
    if (ok) {
      seen.add(date as string);
      days.push({ date: date as string, name: name as string, ...(typeof nameEn === 'string' ? { nameEn } : {}) });
    }
  });
  return days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

function badFile(origin: string, problems: string[]): GatewayError {
  return new GatewayError('calendar.bad-file', `calendar file ${origin}: ${problems.join('; ')}`, { file: origin, problems });
}
