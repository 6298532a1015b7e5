import type { CalendarYear } from './calendar-year';
import { parseCalendarYear } from './parse-calendar-year';
import y2012 from './data/2012.json';
import y2013 from './data/2013.json';
import y2014 from './data/2014.json';
import y2015 from './data/2015.json';
import y2016 from './data/2016.json';
import y2017 from './data/2017.json';
import y2018 from './data/2018.json';
import y2019 from './data/2019.json';
import y2020 from './data/2020.json';
import y2021 from './data/2021.json';
import y2022 from './data/2022.json';
import y2023 from './data/2023.json';
import y2024 from './data/2024.json';
import y2025 from './data/2025.json';
import y2026 from './data/2026.json';

/** First and last year of the built-in data (State Council schedules, see data/ and scripts/generate-calendar.ts). */
export const BUILT_IN_FIRST_YEAR = 2012;
export const BUILT_IN_LAST_YEAR = 2026;

const raw: readonly unknown[] = [
  y2012,
  y2013,
  y2014,
  y2015,
  y2016,
  y2017,
  y2018,
  y2019,
  y2020,
  y2021,
  y2022,
  y2023,
  y2024,
  y2025,
  y2026,
];

let cache: readonly CalendarYear[] | undefined;

/** The built-in years 2012–2026, checked once against the calendar year format. */
export function builtInYears(): readonly CalendarYear[] {
  cache ??= raw.map((data, i) => parseCalendarYear(data, `gateway/calendar/data/${BUILT_IN_FIRST_YEAR + i}.json`));
  return cache;
}
