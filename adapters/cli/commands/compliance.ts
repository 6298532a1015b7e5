import { promises as fs } from 'node:fs';
import type { Command } from 'commander';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { parseInstant, systemClock, type Clock } from '../../../gateway/clock';
import { complianceFor, parsePeriod } from '../../../gateway/compliance';
import { DATABASE_URL_VARIABLE } from '../../../gateway/store';
import { withStore } from '../store';
import { complianceToXlsx } from '../../spreadsheet/compliance-export';
import type { CommandContext, CommandModule } from './index';

interface ComplianceOptions {
  period: string;
  unit?: string;
  format: string;
  out?: string;
  asOf?: string;
}

/**
 * `mmgw compliance --period YYYY-MM [--unit CODE] [--format json|xlsx] [--out FILE] [--as-of INSTANT]`:
 * the Art. 19 record of each unit for a month, from the database of MMGW_DATABASE_URL.
 */
export function createComplianceCommand(env: NodeJS.ProcessEnv = process.env, clock: Clock = systemClock): CommandModule {
  return {
    register(program: Command, ctx: CommandContext): void {
      program
        .command('compliance')
        .description('Art. 19 compliance per unit for a month: obligations met on time, met late (max and mean minutes), open past due, IncidentReports graded below their own figures')
        .requiredOption('--period <YYYY-MM>', 'the month (Beijing time) whose due obligations and accepted reports are counted')
        .option('--unit <code>', 'only this institution')
        .option('--format <format>', 'json or xlsx (xlsx needs --out)', 'json')
        .option('--out <file>', 'write to this file instead of standard output')
        .option('--as-of <instant>', 'judge open obligations at this instant (ISO 8601 with offset; default now)')
        .addHelpText('after', `\n${DATABASE_URL_VARIABLE}: the database, as for \`mmgw migrate\`. Exit 0 with the report, 2 for a bad period, unit or format.\nEvery unit's record: this command runs on the gateway host and reads the database itself, so whoever runs it operates the gateway and applies no access rule (GET /v1/compliance does: miit and cncert read every unit, any other institution its own).`)
        .action(async (opts: ComplianceOptions) => {
          parsePeriod(opts.period); // exit 2 before opening anything
          if (opts.format !== 'json' && opts.format !== 'xlsx') throw new GatewayError('compliance.bad-format', `--format "${opts.format}" is not json or xlsx`, { field: '--format', value: opts.format });
          if (opts.format === 'xlsx' && opts.out === undefined) throw new GatewayError('compliance.bad-format', '--format xlsx writes a workbook: name the file with --out FILE', { field: '--out' });
          const now = opts.asOf === undefined ? clock.now() : parseInstant(opts.asOf, '--as-of');
          await withStore(env, async (dataSource) => {
            // As the gateway's operator: every unit, with the API's checks of the unit (compliance.bad-unit, compliance.unknown-unit).
            const report = await complianceFor(dataSource, { period: opts.period, ...(opts.unit !== undefined && { unit: opts.unit }) }, undefined, now);
            if (opts.format === 'xlsx') {
              await fs.writeFile(opts.out as string, await complianceToXlsx(report));
              ctx.io.out(`wrote ${opts.out as string}: ${report.units.length} unit(s), period ${report.period}`);
            } else if (opts.out !== undefined) {
              await fs.writeFile(opts.out, `${JSON.stringify(report, null, 2)}\n`, 'utf8');
              ctx.io.out(`wrote ${opts.out}: ${report.units.length} unit(s), period ${report.period}`);
            } else ctx.io.out(JSON.stringify(report, null, 2));
          });
        });
    },
  };
}

/** The command as registered in `commandModules`. */
export const complianceCommand = createComplianceCommand();
