import type { Command } from 'commander';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { EVENT_LEVEL_NAMES } from '../../../contracts/obligations/event-levels';
import { formatBeijing } from '../../../gateway/calendar/beijing-time';
import type { Clock } from '../../../gateway/clock/clock';
import { parseInstant } from '../../../gateway/clock/parse-instant';
import { systemClock } from '../../../gateway/clock/system-clock';
import { formatDecimal } from '../../../gateway/grading/decimal';
import { gradeEvent } from '../../../gateway/grading/grade';
import { parseInfectedCount, parseLossYuan } from '../../../gateway/grading/figures';
import type { CommandContext, CommandModule } from './index';

interface GradeOptions {
  lossYuan?: string;
  infected24h?: string;
  at?: string;
}

const FIGURE_LABEL = { lossYuan: 'user communication-fee loss in yuan', infected24h: 'phone numbers infected within 24 h' } as const;

/** `mmgw grade`: the Art. 8 level of an event from its two figures. `clock` gives the default `--at`. */
export function createGradeCommand(clock: Clock = systemClock): CommandModule {
  return {
    register(program: Command, ctx: CommandContext): void {
      program
        .command('grade')
        .description('grade an event by Art. 8: prints the level (I, II, III or IV) on the first line, then why')
        .option('--loss-yuan <yuan>', 'cumulative user communication-fee loss, in yuan (fractions allowed, e.g. 1000000.01)')
        .option('--infected-24h <count>', 'phone numbers infected within 24 h')
        .option('--at <iso>', 'discovery time, ISO 8601 with offset; picks the thresholds in force then (default: now)')
        .addHelpText('after', '\nThresholds are strict ("more than") and either figure alone is enough.\nExample: mmgw grade --loss-yuan 1000000.01 --infected-24h 0   # prints III')
        .action((opts: GradeOptions) => run(opts, ctx, clock));
    },
  };
}

function required(value: string | undefined, option: string, what: string): string {
  if (value === undefined) throw new GatewayError('grading.invalid-figure', `${option} is missing: give the ${what} (Art. 8), 0 if none`, { field: option, article: 'Art. 8' });
  return value;
}

function run(opts: GradeOptions, ctx: CommandContext, clock: Clock): void {
  const loss = parseLossYuan(required(opts.lossYuan, '--loss-yuan', FIGURE_LABEL.lossYuan), '--loss-yuan');
  const infected = parseInfectedCount(required(opts.infected24h, '--infected-24h', FIGURE_LABEL.infected24h), '--infected-24h');
  const at = opts.at === undefined ? clock.now() : parseInstant(opts.at, '--at');
  const g = gradeEvent({ lossYuan: opts.lossYuan as string, infected24h: infected.toString() }, at);
  const name = EVENT_LEVEL_NAMES[g.level];
  ctx.io.out(g.level);
  ctx.io.out(`level ${g.level} ${name.zh} (${name.en}) by the Art. 8 thresholds version ${g.thresholdVersion}, in force at ${formatBeijing(at)}`);
  if (g.reasons.length === 0) ctx.io.out(`no level III threshold exceeded (loss ${formatDecimal(loss)} yuan, ${infected} numbers in 24 h)`);
  for (const r of g.reasons) {
    ctx.io.out(r.figure === 'lossYuan' ? `loss ${r.value} yuan is more than ${r.over}` : `${r.value} infected numbers in 24 h is more than ${r.over}`);
  }
}

/** The command as registered in `commandModules`. */
export const gradeCommand = createGradeCommand();
