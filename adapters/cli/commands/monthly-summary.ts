import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { decode, encode } from '../../../contracts/codec';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { clientOf, RefusedError, runClient, withClientOptions, type ClientOptions } from '../client';
import type { CommandContext, CommandModule } from './index';

interface SummaryOptions extends ClientOptions {
  readonly period?: string;
  readonly format?: string;
  readonly out?: string;
  readonly compiledBy?: string;
}

/**
 * `mmgw monthly-summary --period YYYY-MM --as cncert [--out FILE]`: cncert's unsigned
 * MonthlyGeneralSummary draft of the month's level IV events (GET /v1/monthly-summary/draft), to
 * review, complete (analysis) and then sign and send with `mmgw send FILE --as cncert`.
 */
export function createMonthlySummaryCommand(env: NodeJS.ProcessEnv = process.env): CommandModule {
  return {
    register(program: Command, ctx: CommandContext): void {
      withClientOptions(
        program.command('monthly-summary').description('fetches cncert\'s unsigned MonthlyGeneralSummary draft of the level IV events discovered in --period (Art. 10(3)): review it, add the analysis, then `mmgw send FILE --as cncert` signs and sends it'),
      )
        .requiredOption('--period <YYYY-MM>', 'the month (Beijing time) whose level IV events are summarised')
        .option('--format <json|xml>', 'the draft as JSON (default) or XML')
        .option('--out <file>', 'write the draft to this file (default: standard output)')
        .option('--compiled-by <name>', '汇总人 (default: cncert\'s first registered contact person)')
        .action(async (o: SummaryOptions) => runClient(ctx, async () => {
          const format = o.format ?? 'json';
          if (format !== 'json' && format !== 'xml') throw new GatewayError('usage.unknown-choice', `--format must be json or xml, got "${format}"`, { path: '--format' });
          if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(o.period ?? '')) throw new GatewayError('monthly.bad-period', `--period must be a calendar month written YYYY-MM (e.g. 2026-11), got "${o.period ?? ''}"`, { path: '--period' });
          const client = clientOf(o, env);
          const query = new URLSearchParams({ period: o.period as string, ...(o.compiledBy !== undefined && { compiledBy: o.compiledBy }) });
          const res = await client.send('GET', `/v1/monthly-summary/draft?${query.toString()}`);
          if (res.status !== 200) throw new RefusedError(res);
          const doc = decode(res.body).document;
          if (doc === undefined) throw new GatewayError('client.bad-response', `the gateway answered a draft that is not a document: ${res.body.toString('utf8').slice(0, 200)}`);
          const text = format === 'xml' ? encode(doc, 'xml', { pretty: true }) : res.body.toString('utf8');
          const events = (doc.body as { counts?: { events?: number } } | undefined)?.counts?.events ?? 0;
          const omitted = Number(res.headers['mmgw-omitted'] ?? 0);
          if (o.out !== undefined) writeFileSync(o.out, text);
          else ctx.io.out(text.replace(/\n$/, ''));
          if (omitted > 0) ctx.io.err(`mmgw: warning: ${omitted} report${omitted > 1 ? 's are' : ' is'} not in the draft: ${String(res.headers['mmgw-omitted-reports'] ?? '')}`);
          ctx.io.err(`draft ${String(doc.id)}: MonthlyGeneralSummary ${o.period as string}, ${events} level IV event${events === 1 ? '' : 's'}${o.out !== undefined ? ` written to ${o.out}` : ''}; review it, then: mmgw send ${o.out ?? 'FILE'} --as cncert`);
        }));
    },
  };
}

/** The command as registered in `commandModules`. */
export const monthlySummaryCommand = createMonthlySummaryCommand();
