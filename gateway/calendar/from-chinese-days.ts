import type { CalendarDay, CalendarYear } from './calendar-year';

/** The shape of `chinese-days/dist/years/YYYY.json`: date → "English name,中文名,statutory days". */
export interface ChineseDaysYear {
  readonly holidays: Readonly<Record<string, string>>;
  readonly workdays: Readonly<Record<string, string>>;
}

/**
 * Converts one year of the `chinese-days` package to our `CalendarYear` format. Used by
 * `scripts/generate-calendar.ts` to produce `data/YYYY.json`, and by the test that checks the
 * committed files against the package.
 */
export function fromChineseDays(year: number, source: ChineseDaysYear, origin: string): CalendarYear {
  return {
    year,
    source: origin,
    holidays: toDays(source.holidays),
    workdays: toDays(source.workdays),
  };
}

function toDays(entries: Readonly<Record<string, string>>): CalendarDay[] {
  return Object.keys(entries)
    .sort()
    .map((date) => {
      const [nameEn, name] = entries[date].split(',');
      return { date, name: (name ?? nameEn).trim(), nameEn: nameEn.trim() };
    });
}
