import type { Command } from 'commander';
import { clientOf, runClient, withClientOptions, type ClientOptions } from '../client';
import type { CommandContext, CommandModule } from './index';

/** GET /v1/messages/{id} as JSON. */
export interface StatusAnswer {
  readonly messageId: string;
  readonly type: string;
  readonly from: string;
  readonly receivedAt: string;
  readonly recipients: readonly { recipient: string; channel: string; status: string; deliveredAt: string | null; acknowledgedAt: string | null }[];
}

/** `mmgw status MESSAGE --as CODE`: per recipient, the channel, the status and the times. */
export function createStatusCommand(env: NodeJS.ProcessEnv = process.env): CommandModule {
  return {
    register(program: Command, ctx: CommandContext): void {
      withClientOptions(
        program
          .command('status')
          .argument('<message>', 'the message id (as `mmgw send` printed it)')
          .description('shows a message\'s status per recipient (channel, status, delivered, acknowledged); to its sender and recipients only'),
      )
        .option('--json', 'print the gateway\'s JSON answer')
        .action(async (messageId: string, o: ClientOptions & { json?: boolean }) => runClient(ctx, async () => {
          const s = await clientOf(o, env).json<StatusAnswer>('GET', `/v1/messages/${encodeURIComponent(messageId)}`);
          if (o.json) {
            ctx.io.out(JSON.stringify(s, null, 2));
            return;
          }
          ctx.io.out(`${s.messageId} ${s.type} from ${s.from}, received ${s.receivedAt}`);
          for (const r of s.recipients) {
            ctx.io.out(`  ${r.recipient}  ${r.channel}  ${r.status}${r.deliveredAt ? `  delivered ${r.deliveredAt}` : ''}${r.acknowledgedAt ? `  acknowledged ${r.acknowledgedAt}` : ''}`);
          }
          const acked = s.recipients.filter((r) => r.status === 'acknowledged').length;
          ctx.io.out(s.recipients.length > 0 && acked === s.recipients.length ? `every recipient acknowledged (${acked})` : `${acked} of ${s.recipients.length} recipients acknowledged`);
        }));
    },
  };
}

/** The command as registered in `commandModules`. */
export const statusCommand = createStatusCommand();
