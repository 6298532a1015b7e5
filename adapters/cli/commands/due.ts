import type { Command } from 'commander';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { obligationDeclaration, OBLIGATION_IDS } from '../../../contracts/obligations/obligation-table';
import { formatBeijing } from '../../../gateway/calendar/beijing-time';
import { calendarFromEnvironment } from '../../../gateway/calendar/load-calendar';
import { parseInstant } from '../../../gateway/clock/parse-instant';
import { computeDue } from '../../../gateway/deadlines/compute-due';
import { describeRule } from '../../../gateway/deadlines/describe-rule';
import type { CommandContext, CommandModule } from './index';

interface DueOptions {
  from?: string;
  level?: string;
  calendar: string[];
}

/** Collects a repeatable option. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `mmgw due`: the due instant of an obligation. `env` supplies `MMGW_CALENDAR_DIR`. */
export function createDueCommand(env: NodeJS.ProcessEnv = process.env): CommandModule {
  return {
    register(program: Command, ctx: CommandContext): void {
      program
        .command('due')
        .description('the due instant of an obligation (rules.md), printed first as ISO 8601 in Beijing time (+08:00)')
        .argument('<obligation>', `obligation id: ${OBLIGATION_IDS.join(', ')}`)
        .option('--from <iso>', 'when the clock starts, ISO 8601 with offset (Z or ±hh:mm)')
        .option('--level <level>', 'event level I, II, III or IV, for the obligations whose deadline depends on it')
        .option('--calendar <file>', 'a further calendar year file (repeatable); also MMGW_CALENDAR_DIR', collect, [])
        .addHelpText('after', '\nExample: mmgw due sample-report --from 2024-02-08T10:00:00+08:00   # prints 2024-02-20T00:00:00+08:00\nA date past the calendar data is counted Monday–Friday and a "provisional" warning goes to stderr.')
        .action((obligation: string, opts: DueOptions) => run(obligation, opts, ctx, env));
    },
  };
}

function run(obligation: string, opts: DueOptions, ctx: CommandContext, env: NodeJS.ProcessEnv): void {
  if (opts.from === undefined) throw new GatewayError('usage.missing-argument', '--from is missing: give the instant the clock starts, ISO 8601 with offset, e.g. --from 2024-02-08T10:00:00+08:00', { field: '--from' });
  const start = parseInstant(opts.from, '--from');
  const calendar = calendarFromEnvironment(env, opts.calendar);
  let result;
  try {
    result = computeDue({ obligation, start, ...(opts.level !== undefined ? { level: opts.level } : {}) }, { calendar });
  } catch (e) {
    if (e instanceof GatewayError && (e.code === 'deadline.level-required' || e.code === 'grading.invalid-level')) {
      throw new GatewayError(e.code, `--level: ${e.message}`, { ...e.facts, field: '--level' });
    }
    throw e;
  }
  const decl = obligationDeclaration(result.obligation);
  ctx.io.out(result.due === null ? 'none' : formatBeijing(result.due));
  ctx.io.out(`obligation: ${result.obligation} (${decl.article})${result.level ? `, level ${result.level}` : ''}: ${decl.who.join(', ')} → ${decl.to.join(', ') || '—'}, ${decl.form}`);
  ctx.io.out(`clock starts: ${formatBeijing(result.clockStart)} (${decl.startsAt})`);
  ctx.io.out(`rule: ${describeRule(result.rule)}`);
  if (result.provisional) ctx.io.out(`provisional: calendar data missing for ${result.missingYears.join(', ')}`);
  for (const w of result.warnings) ctx.io.err(`mmgw: warning: ${w}`);
}

/** The command as registered in `commandModules`. */
export const dueCommand = createDueCommand();
