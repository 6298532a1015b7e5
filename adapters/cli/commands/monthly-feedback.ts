import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { encode } from '../../../contracts/codec';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { systemClock, type Clock } from '../../../gateway/clock';
import { DEMO_REGISTRY } from '../../../gateway/registry';
import { monthlyDisposalFeedbackDocument } from '../../spreadsheet/monthly-disposal-import';
import type { CommandContext, CommandModule } from './index';

interface ImportOptions {
  readonly from?: string;
  readonly period?: string;
  readonly reportingUnit?: string;
  readonly reporter?: string;
  readonly phone?: string;
  readonly email?: string;
  readonly feedbackAt?: string;
  readonly format?: string;
  readonly out?: string;
}

/**
 * `mmgw monthly-feedback import FILE.xlsx --from CODE --period YYYY-MM …`: an operator's level IV
 * disposal spreadsheet (Art. 11(4)) as its unsigned MonthlyDisposalFeedback, every row validated
 * like a DisposalFeedback; a broken row refuses the sheet with every error at its cell (exit 1),
 * writing nothing. Runs locally: sign and send the result with `mmgw send FILE --as CODE`.
 */
export function createMonthlyFeedbackCommand(clock: Clock = systemClock): CommandModule {
  return {
    register(program: Command, ctx: CommandContext): void {
      const group = program.command('monthly-feedback').description('the level IV monthly disposal spreadsheet (Art. 11(4))');
      group.command('import')
        .argument('<file>', 'the .xlsx workbook: header row 1 with the Annex 5 labels (Chinese or English), one row per disposal')
        .description('reads the spreadsheet into an unsigned MonthlyDisposalFeedback to cncert, or lists every error by row and cell (exit 1, nothing written); then `mmgw send FILE --as CODE` signs and sends it')
        .requiredOption('--from <code>', 'the disposing unit sending it (e.g. op-cmcc)')
        .requiredOption('--period <YYYY-MM>', 'the month the rows report')
        .option('--reporter <name>', '填报人 (required)')
        .option('--phone <phone>', '联系电话 (required)')
        .option('--email <address>', 'E-Mail (required)')
        .option('--reporting-unit <name>', '报送单位 (default: the registry name of --from)')
        .option('--feedback-at <instant>', '反馈时间, ISO 8601 with offset (default: now)')
        .option('--format <json|xml>', 'the document as JSON (default) or XML')
        .option('--out <file>', 'write the document to this file (default: standard output)')
        .action(async (file: string, o: ImportOptions) => {
          const format = o.format ?? 'json';
          if (format !== 'json' && format !== 'xml') throw new GatewayError('usage.unknown-choice', `--format must be json or xml, got "${format}"`, { path: '--format' });
          const missing = (['reporter', 'phone', 'email'] as const).filter((k) => o[k] === undefined || o[k] === '');
          if (missing.length > 0) throw new GatewayError('usage.missing-argument', `give the filer boxes of the form: ${missing.map((k) => `--${k}`).join(', ')}`, { path: `--${missing[0]}` });
          const reportingUnit = o.reportingUnit ?? DEMO_REGISTRY.find((e) => e.code === o.from)?.name;
          if (reportingUnit === undefined) throw new GatewayError('usage.missing-argument', `--reporting-unit is needed: ${o.from} is not in the demo registry`, { path: '--reporting-unit' });
          let xlsx: Buffer;
          try {
            xlsx = readFileSync(file);
          } catch (e) {
            throw new GatewayError('usage.file-unreadable', `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { path: file });
          }
          const doc = await monthlyDisposalFeedbackDocument(xlsx, {
            from: o.from as string, period: o.period as string, reportingUnit, reporter: o.reporter as string, phone: o.phone as string, email: o.email as string,
            now: clock.now(), ...(o.feedbackAt !== undefined && { feedbackAt: o.feedbackAt }),
          });
          const text = encode(doc, format, { pretty: true });
          if (o.out !== undefined) writeFileSync(o.out, text);
          else ctx.io.out(text.replace(/\n$/, ''));
          const rows = ((doc.body as { rows?: unknown[] }).rows ?? []).length;
          ctx.io.err(`MonthlyDisposalFeedback ${String(doc.id)}: ${o.period as string}, ${rows} row${rows === 1 ? '' : 's'}${o.out !== undefined ? ` written to ${o.out}` : ''}; sign and send it: mmgw send ${o.out ?? 'FILE'} --as ${o.from as string}`);
        });
    },
  };
}

/** The command as registered in `commandModules`. */
export const monthlyFeedbackCommand = createMonthlyFeedbackCommand();
