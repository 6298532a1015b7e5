import type { Command } from 'commander';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { formatBeijing } from '../../../gateway/calendar';
import { clientOf, fetchAllObligations, fetchObligations, runClient, tableLines, withClientOptions, type ClientOptions, type ObligationFilters } from '../client';
import { obligationStanding } from './case';
import type { CommandContext, CommandModule } from './index';

interface ObligationsOptions extends ClientOptions {
  readonly overdue?: boolean;
  readonly state?: string;
  readonly obligation?: string;
  readonly case?: string;
  readonly limit?: string;
  readonly after?: string;
  readonly json?: boolean;
}

const bj = (iso: string | null): string => (iso === null ? 'none' : formatBeijing(new Date(iso)));

/**
 * `mmgw obligations --as CODE [--overdue] [--state S] [--obligation ID] [--case TASK] [--json]`:
 * what the institution owes, due first, from GET /v1/obligations of a running gateway — a client
 * command like `status` and `inbox`: `--as` picks the dev credential the request is made with,
 * and the gateway answers for that institution only. Every page is fetched unless `--limit` asks
 * for one page (then the cursor of the next is printed, for `--after`).
 */
export function createObligationsCommand(env: NodeJS.ProcessEnv = process.env): CommandModule {
  return {
    register(program: Command, ctx: CommandContext): void {
      withClientOptions(
        program
          .command('obligations')
          .description('lists what the institution of --as owes (obligation, to whom, case, level, due, state), due first; --overdue: only open ones past their deadline')
          .addHelpText('after', '\nA client of the running gateway (GET /v1/obligations), like `mmgw status`: --as CODE acts as that institution with its dev credential (or --key/--cert), and the gateway answers with that institution\'s obligations only. (`mmgw compliance`, in contrast, reads the database of MMGW_DATABASE_URL directly.) Times are Beijing time. Exit 0 with the list, 1 when the gateway refuses a filter, 2 for a bad option, 3 when it cannot be reached.'),
      )
        .option('--overdue', 'only open obligations past their due instant (judged by the gateway now)')
        .option('--state <state>', 'only obligations in this state: open, met, met-late or waived')
        .option('--obligation <id>', 'only this obligation id of the rules (e.g. disposal-feedback)')
        .option('--case <task>', 'only the obligations of this case (task number or case key)')
        .option('--limit <n>', 'one page of at most n (1–200) instead of every page')
        .option('--after <cursor>', 'with --limit: start after this cursor (the "next" of a previous page)')
        .option('--json', 'print the gateway\'s JSON answer')
        .action(async (o: ObligationsOptions) => runClient(ctx, async () => {
          if (o.limit !== undefined && !/^\d+$/.test(o.limit)) throw new GatewayError('usage.invalid-argument', `--limit must be a whole number, got "${o.limit}"`, { path: '--limit' });
          if (o.after !== undefined && o.limit === undefined) throw new GatewayError('usage.invalid-argument', '--after pages through one page at a time: give --limit too', { path: '--after' });
          const filters: ObligationFilters = {
            ...(o.overdue === true && { overdue: true }), ...(o.state !== undefined && { state: o.state }), ...(o.obligation !== undefined && { obligation: o.obligation }),
            ...(o.case !== undefined && { caseRef: o.case }), ...(o.after !== undefined && { after: o.after }), ...(o.limit !== undefined && { limit: Number(o.limit) }),
          };
          const client = clientOf(o, env);
          const page = o.limit !== undefined ? await fetchObligations(client, filters) : await fetchAllObligations(client, { ...filters, limit: 200 });
          if (o.json) {
            ctx.io.out(JSON.stringify(page, null, 2));
            return;
          }
          if (page.items.length === 0) ctx.io.out(`${client.code} owes no ${o.overdue ? 'overdue ' : ''}obligations${o.state || o.obligation || o.case ? ' matching these filters' : ''} (as of ${bj(page.asOf)})`);
          else {
            for (const l of tableLines(['ID', 'OBLIGATION', 'TO', 'CASE', 'LEVEL', 'DUE', 'STATE'], page.items.map((x) => [String(x.id), x.obligation, x.counterparty ?? '-', x.taskNumber ?? x.caseKey ?? x.subject ?? '-', x.level ?? '-', bj(x.due), obligationStanding(x)]))) ctx.io.out(l);
            const overdue = page.items.filter((x) => x.overdue).length;
            ctx.io.out(`${page.items.length} obligation(s) of ${client.code}, ${overdue} overdue, as of ${bj(page.asOf)}`);
          }
          if (page.next !== null) ctx.io.out(`next: ${page.next}`);
        }));
    },
  };
}

/** The command as registered in `commandModules`. */
export const obligationsCommand = createObligationsCommand();
