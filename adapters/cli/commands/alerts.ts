import type { Command } from 'commander';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { formatBeijing } from '../../../gateway/calendar/beijing-time';
import { clientOf, runClient, withClientOptions, type ClientOptions } from '../client';
import type { AlertJson } from '../../http/routes/alerts';
import type { CommandContext, CommandModule } from './index';

interface AlertsOptions extends ClientOptions {
  readonly json?: boolean;
  readonly unread?: boolean;
  readonly after?: string;
  readonly limit?: string;
  readonly ack?: string;
}

/** The query string of GET /v1/alerts. */
export function alertsPath(q: { after?: string; limit?: number; unread?: boolean }): string {
  const params = new URLSearchParams();
  if (q.after !== undefined) params.set('after', q.after);
  if (q.limit !== undefined) params.set('limit', String(q.limit));
  if (q.unread) params.set('unacknowledged', 'true');
  const s = params.toString();
  return `/v1/alerts${s ? `?${s}` : ''}`;
}

/** `mmgw alerts --as CODE`: the reminders, escalations and re-gradings sent to the institution, oldest first. */
export function createAlertsCommand(env: NodeJS.ProcessEnv = process.env): CommandModule {
  return {
    register(program: Command, ctx: CommandContext): void {
      withClientOptions(
        program.command('alerts').description('lists the alerts sent to --as (reminders at 50/75/90 % of a deadline, escalations at the deadline, re-gradings, contact-confirmation requests), oldest first: id, kind, time, subject, then the text; --ack ID marks one read'),
      )
        .option('--unread', 'only the alerts not marked read')
        .option('--json', 'print the gateway\'s JSON page')
        .option('--after <cursor>', 'start after this cursor (the "next" of a previous page)')
        .option('--limit <n>', 'at most this many alerts (1–200)')
        .option('--ack <alertId>', 'mark the alert alr-… read instead of listing')
        .action(async (o: AlertsOptions) => runClient(ctx, async () => {
          if (o.limit !== undefined && !/^\d+$/.test(o.limit)) throw new GatewayError('usage.invalid-argument', `--limit must be a whole number, got "${o.limit}"`, { path: '--limit' });
          const client = clientOf(o, env);
          if (o.ack !== undefined) {
            const r = await client.json<{ alertId: string; acknowledgedAt: string; duplicate: boolean }>('POST', `/v1/alerts/${encodeURIComponent(o.ack)}/ack`);
            ctx.io.out(`${r.alertId} read ${formatBeijing(new Date(r.acknowledgedAt))}${r.duplicate ? ' (already)' : ''}`);
            return;
          }
          const page = await client.json<{ items: AlertJson[]; next: string | null }>('GET', alertsPath({
            ...(o.after !== undefined && { after: o.after }), ...(o.limit !== undefined && { limit: Number(o.limit) }), ...(o.unread && { unread: true }),
          }));
          if (o.json) {
            ctx.io.out(JSON.stringify(page, null, 2));
            return;
          }
          if (page.items.length === 0) ctx.io.out(`no ${o.unread ? 'unread ' : ''}alerts for ${client.code}`);
          for (const a of page.items) {
            const mailed = a.emails.filter((e) => e.state === 'sent').length;
            ctx.io.out(`${a.alertId}  ${a.kind}  ${formatBeijing(new Date(a.createdAt))}  ${a.subject}${a.taskNumber ? `  task ${a.taskNumber}` : ''}  ${a.acknowledgedAt ? 'read' : 'unread'}${a.emails.length > 0 ? `  mailed ${mailed}/${a.emails.length}` : ''}`);
            for (const line of a.text.split('\n')) ctx.io.out(`    ${line}`);
          }
          if (page.next !== null) ctx.io.out(`next: ${page.next}`);
        }));
    },
  };
}

/** The command as registered in `commandModules`. */
export const alertsCommand = createAlertsCommand();
