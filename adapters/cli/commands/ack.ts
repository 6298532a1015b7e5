import type { Command } from 'commander';
import { encode } from '../../../contracts/codec';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { formatBeijing } from '../../../gateway/calendar/beijing-time';
import { systemClock, type Clock } from '../../../gateway/clock';
import { signDocument } from '../../../gateway/signing/documents';
import { clientOf, runClient, withClientOptions, type ClientOptions, type GatewayClient } from '../client';
import { mailboxPath, type InboxPage } from './inbox';
import type { CommandContext, CommandModule } from './index';
import { freshMessageId } from './send';

interface AckOptions extends ClientOptions {
  readonly message?: string;
  readonly receivedBy?: string;
}

/** The message a delivery of the caller's mailbox carries, read page by page. */
async function messageOfDelivery(client: GatewayClient, deliveryId: string): Promise<string> {
  let after: string | undefined;
  for (;;) {
    const page = await client.json<InboxPage>('GET', mailboxPath({ ...(after !== undefined && { after }), limit: 100 }));
    const hit = page.items.find((i) => i.deliveryId === deliveryId);
    if (hit) return hit.messageId;
    if (page.next === null || page.items.length === 0) break;
    after = page.next;
  }
  throw new GatewayError('usage.invalid-argument', `${deliveryId} is not in the mailbox of ${client.code}; see \`mmgw inbox --as ${client.code}\``, { path: 'DELIVERY' });
}

/** `mmgw ack DELIVERY --as CODE`: builds, signs and posts the recipient's Acknowledgement of a delivery. */
export function createAckCommand(env: NodeJS.ProcessEnv = process.env, clock: Clock = systemClock): CommandModule {
  return {
    register(program: Command, ctx: CommandContext): void {
      withClientOptions(
        program
          .command('ack')
          .argument('<delivery>', 'the delivery id, as `mmgw inbox` lists it (dlv-…)')
          .description('acknowledges a delivery of the mailbox of --as: builds the Acknowledgement form, signs it with that institution\'s credential and posts it'),
      )
        .option('--message <id>', 'the message the delivery carries (default: looked up in the mailbox)')
        .option('--received-by <who>', 'the person or system that received it (the form\'s receivedBy)')
        .action(async (deliveryId: string, o: AckOptions) => runClient(ctx, async () => {
          const client = clientOf(o, env);
          const messageId = o.message ?? (await messageOfDelivery(client, deliveryId));
          const now = clock.now();
          const doc = {
            id: freshMessageId(client.code, now), type: 'Acknowledgement', version: '1.0', from: client.code, to: ['mmgw'], sentAt: formatBeijing(now),
            references: { inReplyTo: messageId },
            body: { messageId, deliveryId, receivedAt: formatBeijing(now), ...(o.receivedBy !== undefined && { receivedBy: o.receivedBy }) },
          };
          const signed = await signDocument(encode(doc, 'json'), client.identity.credential);
          const r = await client.json<{ deliveryId: string; acknowledgedAt: string; duplicate: boolean }>('POST', `/v1/mailbox/${encodeURIComponent(deliveryId)}/ack`, { bytes: Buffer.from(signed), type: 'application/jose+json' });
          ctx.io.out(`acknowledged ${r.deliveryId} (message ${messageId}) at ${r.acknowledgedAt}${r.duplicate ? ' — already acknowledged before' : ''}`);
        }));
    },
  };
}

/** The command as registered in `commandModules`. */
export const ackCommand = createAckCommand();
