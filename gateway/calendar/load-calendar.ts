import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { builtInYears } from './built-in-years';
import type { CalendarYear } from './calendar-year';
import { parseCalendarYear } from './parse-calendar-year';
import { WorkingCalendar } from './working-calendar';

/** Environment variable naming a directory of further calendar years (`*.json`, one year each). */
export const CALENDAR_DIR_ENV = 'MMGW_CALENDAR_DIR';

/** Reads one administrator-supplied calendar year file; errors name the file and the problem. */
export function loadCalendarFile(file: string): CalendarYear {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new GatewayError('calendar.bad-file', `calendar file ${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { file });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new GatewayError('calendar.bad-file', `calendar file ${file}: not valid JSON (${(e as Error).message})`, { file });
  }
  return parseCalendarYear(value, file);
}

/** Reads every `*.json` file of `dir`, in name order. */
export function loadCalendarDir(dir: string): CalendarYear[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch (e) {
    throw new GatewayError('calendar.bad-dir', `calendar directory ${dir} (${CALENDAR_DIR_ENV}): cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { dir });
  }
  return names.map((n) => loadCalendarFile(join(dir, n)));
}

/** Where further years come from, besides the built-in 2012–2026. */
export interface CalendarSources {
  /** A directory of year files, e.g. from `MMGW_CALENDAR_DIR`. */
  readonly dir?: string;
  /** Single year files, e.g. from `--calendar FILE`; they win over the directory and the built-in data. */
  readonly files?: readonly string[];
}

/** The calendar: built-in years, then the directory's years, then the files' years (later wins). */
export function loadCalendar(sources: CalendarSources = {}): WorkingCalendar {
  const extra: CalendarYear[] = [];
  if (sources.dir) extra.push(...loadCalendarDir(sources.dir));
  for (const f of sources.files ?? []) extra.push(loadCalendarFile(f));
  return new WorkingCalendar([...builtInYears(), ...extra]);
}

/** The calendar as configured by the environment (`MMGW_CALENDAR_DIR`) plus any `files`. */
export function calendarFromEnvironment(env: NodeJS.ProcessEnv, files: readonly string[] = []): WorkingCalendar {
  const dir = env[CALENDAR_DIR_ENV];
  return loadCalendar({ ...(dir ? { dir } : {}), files });
}
