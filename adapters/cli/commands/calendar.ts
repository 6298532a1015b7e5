import type { Command } from 'commander';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { weekdayOf } from '../../../gateway/calendar/beijing-time';
import type { CalendarDay } from '../../../gateway/calendar/calendar-year';
import { calendarFromEnvironment } from '../../../gateway/calendar/load-calendar';
import type { CommandContext, CommandModule } from './index';
import { collect } from './due';

interface CalendarOptions {
  json?: boolean;
  calendar: string[];
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** `mmgw calendar`: one year's holidays and adjusted working days. `env` supplies `MMGW_CALENDAR_DIR`. */
export function createCalendarCommand(env: NodeJS.ProcessEnv = process.env): CommandModule {
  return {
    register(program: Command, ctx: CommandContext): void {
      program
        .command('calendar')
        .description("a year's PRC public holidays and adjusted working days (调休) on the working-day calendar")
        .argument('<year>', 'the year, e.g. 2024')
        .option('--json', 'print the year in the calendar file format (a template for further years)')
        .option('--calendar <file>', 'a further calendar year file (repeatable); also MMGW_CALENDAR_DIR', collect, [])
        .action((year: string, opts: CalendarOptions) => run(year, opts, ctx, env));
    },
  };
}

function run(yearText: string, opts: CalendarOptions, ctx: CommandContext, env: NodeJS.ProcessEnv): void {
  if (!/^\d{4}$/.test(yearText)) throw new GatewayError('usage.invalid-argument', `YEAR: "${yearText}" is not a year; give four digits, e.g. 2024`, { field: 'year', value: yearText });
  const data = calendarFromEnvironment(env, opts.calendar).year(Number(yearText));
  if (opts.json) {
    ctx.io.out(JSON.stringify(data, null, 2));
    return;
  }
  ctx.io.out(`PRC working-day calendar ${data.year}${data.source ? ` (${data.source})` : ''}`);
  ctx.io.out('');
  ctx.io.out('Public holidays (days off):');
  for (const run of groupRuns(data.holidays)) {
    const first = run[0];
    const last = run[run.length - 1];
    const span = run.length === 1 ? day(first.date) : `${day(first.date)} – ${day(last.date)}`;
    ctx.io.out(`  ${span.padEnd(31)} ${label(first)} (${run.length} day${run.length === 1 ? '' : 's'})`);
  }
  ctx.io.out('');
  ctx.io.out('Adjusted working days (调休: weekend days that are worked):');
  if (data.workdays.length === 0) ctx.io.out('  none');
  for (const d of data.workdays) ctx.io.out(`  ${day(d.date).padEnd(31)} ${label(d)}`);
}

const day = (date: string): string => `${date} ${WEEKDAYS[weekdayOf(date)]}`;
const label = (d: CalendarDay): string => (d.nameEn ? `${d.name} ${d.nameEn}` : d.name);

/** Consecutive dates with the same holiday name, grouped. */
function groupRuns(days: readonly CalendarDay[]): CalendarDay[][] {
  const runs: CalendarDay[][] = [];
  for (const d of days) {
    const current = runs[runs.length - 1];
    const prev = current?.[current.length - 1];
    if (prev && prev.name === d.name && Date.parse(`${d.date}T00:00:00Z`) - Date.parse(`${prev.date}T00:00:00Z`) === 86_400_000) current.push(d);
    else runs.push([d]);
  }
  return runs;
}

/** The command as registered in `commandModules`. */
export const calendarCommand = createCalendarCommand();
