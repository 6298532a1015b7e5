import type { Command } from 'commander';
import { formatBeijing } from '../../../gateway/calendar';
import { clientOf, fetchCase, runClient, tableLines, withClientOptions, type ClientOptions, type ObligationJson } from '../client';
import type { CommandContext, CommandModule } from './index';

const bj = (iso: string | null): string => (iso === null ? '-' : formatBeijing(new Date(iso)));

/** How an obligation stands, in a word: open, OVERDUE, met, met-late, waived (with the reason). */
export function obligationStanding(o: ObligationJson): string {
  if (o.overdue) return 'OVERDUE';
  if (o.state === 'waived') return `waived: ${o.waivedReason ?? ''}`.trim();
  return o.provisional ? `${o.state} (provisional)` : o.state;
}

/**
 * `mmgw case TASK --as CODE [--json]`: every message, delivery and obligation of a case, from
 * GET /v1/cases/{taskNumber} of a running gateway; only the case's parties see it.
 */
export function createCaseCommand(env: NodeJS.ProcessEnv = process.env): CommandModule {
  return {
    register(program: Command, ctx: CommandContext): void {
      withClientOptions(
        program
          .command('case')
          .argument('<task>', 'the task number (e.g. CNCERT-2026-1128-017), or the case key: the id of the message that opened it')
          .description('shows a case: its messages, their deliveries per recipient and its obligations (who owes what to whom, due, state); to the case\'s parties only')
          .addHelpText('after', '\nAsks the running gateway (GET /v1/cases/{taskNumber}) as the institution of --as (or --key/--cert). Times are Beijing time. Exit 0 with the case, 1 when the gateway refuses (404 for an unknown task number or a case the institution is not a party of), 3 when it cannot be reached.'),
      )
        .option('--json', 'print the gateway\'s JSON answer')
        .action(async (task: string, o: ClientOptions & { json?: boolean }) => runClient(ctx, async () => {
          const c = await fetchCase(clientOf(o, env), task);
          if (o.json) {
            ctx.io.out(JSON.stringify(c, null, 2));
            return;
          }
          ctx.io.out(`case ${c.taskNumber ?? '(no task number yet)'}  ${c.kind}  level ${c.level ?? '-'}  opened ${bj(c.openedAt)}  key ${c.key}${c.legalHold ? '  LEGAL HOLD' : ''}`);
          ctx.io.out(`parties: ${c.parties.join(', ')}`);
          if (c.levelHistory.length > 1) ctx.io.out(`re-graded: ${c.levelHistory.map((h) => `${h.from ?? '-'}→${h.to} at ${bj(h.at)} (${h.messageId})`).join('; ')}`);
          ctx.io.out('');
          ctx.io.out(`messages (${c.messages.length}):`);
          for (const l of tableLines(['ACCEPTED', 'TYPE', 'FROM', 'TO', 'CC', 'MESSAGE'], c.messages.map((m) => [bj(m.acceptedAt), m.type, m.from, m.to.join(',') || '-', m.cc.join(',') || '-', m.id]))) ctx.io.out(`  ${l}`);
          ctx.io.out('');
          ctx.io.out(`deliveries (${c.deliveries.length}):`);
          for (const l of tableLines(['MESSAGE', 'RECIPIENT', 'CHANNEL', 'STATUS', 'ACKNOWLEDGED', 'DELIVERY'], c.deliveries.map((d) => [d.messageId, d.recipient, d.channel, d.status, bj(d.acknowledgedAt), d.deliveryId]))) ctx.io.out(`  ${l}`);
          ctx.io.out('');
          ctx.io.out(`obligations (${c.obligations.length}):`);
          for (const l of tableLines(['OBLIGATION', 'PARTY', 'TO', 'LEVEL', 'DUE', 'STATE', 'CLOSED BY'], c.obligations.map((x) => [x.obligation, x.party, x.counterparty ?? '-', x.level ?? '-', bj(x.due), obligationStanding(x), x.closedBy ?? '-']))) ctx.io.out(`  ${l}`);
        }));
    },
  };
}

/** The command as registered in `commandModules`. */
export const caseCommand = createCaseCommand();
