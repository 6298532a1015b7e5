import type { Command } from 'commander';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { clientOf, runClient, withClientOptions, type ClientOptions } from '../client';
import type { CommandContext, CommandModule } from './index';

/** One delivery as GET /v1/mailbox lists it. */
export interface InboxItem {
  readonly deliveryId: string;
  readonly messageId: string;
  readonly type: string;
  readonly from: string;
  readonly status: string;
  readonly createdAt: string;
  readonly mediaType: string;
  readonly document: string;
}

/** A page of GET /v1/mailbox. */
export interface InboxPage {
  readonly items: readonly InboxItem[];
  readonly next: string | null;
}

interface InboxOptions extends ClientOptions {
  readonly json?: boolean;
  readonly after?: string;
  readonly limit?: string;
  readonly wait?: string;
}

function wholeNumber(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new GatewayError('usage.invalid-argument', `${option} must be a whole number, got "${text}"`, { path: option });
  return Number(text);
}

/** The query string of GET /v1/mailbox. */
export function mailboxPath(q: { after?: string; limit?: number; wait?: number }): string {
  const params = new URLSearchParams();
  if (q.after !== undefined) params.set('after', q.after);
  if (q.limit !== undefined) params.set('limit', String(q.limit));
  if (q.wait !== undefined) params.set('wait', String(q.wait));
  const s = params.toString();
  return `/v1/mailbox${s ? `?${s}` : ''}`;
}

/** `mmgw inbox --as CODE`: the institution's deliveries, oldest first. */
export function createInboxCommand(env: NodeJS.ProcessEnv = process.env): CommandModule {
  return {
    register(program: Command, ctx: CommandContext): void {
      withClientOptions(
        program.command('inbox').description('lists the deliveries in the mailbox of --as (oldest first): delivery id, form, sender, message id, status; then the cursor of the next page'),
      )
        .option('--json', 'print the gateway\'s JSON page (with the signed documents)')
        .option('--after <cursor>', 'start after this cursor (the "next" of a previous page)')
        .option('--limit <n>', 'at most this many deliveries (1–100)')
        .option('--wait <seconds>', 'when the mailbox is empty, wait up to this many seconds for a delivery (long poll)')
        .action(async (o: InboxOptions) => runClient(ctx, async () => {
          const limit = wholeNumber(o.limit, '--limit');
          const wait = wholeNumber(o.wait, '--wait');
          const client = clientOf(o, env);
          const page = await client.json<InboxPage>('GET', mailboxPath({ ...(o.after !== undefined && { after: o.after }), ...(limit !== undefined && { limit }), ...(wait !== undefined && { wait }) }));
          if (o.json) {
            ctx.io.out(JSON.stringify(page, null, 2));
            return;
          }
          if (page.items.length === 0) ctx.io.out(`no deliveries for ${client.code}${o.after ? ' after this cursor' : ''}`);
          for (const i of page.items) ctx.io.out(`${i.deliveryId}  ${i.type}  from ${i.from}  message ${i.messageId}  ${i.status}  ${i.createdAt}`);
          if (page.next !== null) ctx.io.out(`next: ${page.next}`);
        }));
    },
  };
}

/** The command as registered in `commandModules`. */
export const inboxCommand = createInboxCommand();
