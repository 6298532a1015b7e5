import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { decode, encode, type MessageDocument } from '../../../contracts/codec';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { beijingDateOf, formatBeijing } from '../../../gateway/calendar/beijing-time';
import { systemClock, type Clock } from '../../../gateway/clock';
import { signDocument } from '../../../gateway/signing/documents';
import { clientOf, parseJson, RefusedError, runClient, withClientOptions, type ClientOptions, type GatewayClient } from '../client';
import type { CommandContext, CommandModule } from './index';

interface SendOptions extends ClientOptions {
  readonly newId: boolean;
  readonly sign: boolean;
  readonly sample?: readonly string[];
}

/** A fresh message id for `from` on the Beijing day of `now`: `<from>-<yyyymmdd>-<8 hex>`. */
export function freshMessageId(from: string, now: Date): string {
  return `${from}-${beijingDateOf(now).replace(/-/g, '')}-${randomBytes(4).toString('hex')}`;
}

/** The document to send: a signed file unchanged; otherwise (with `newId`) a fresh id and sentAt = now, then signed unless `sign` is false. */
async function prepare(bytes: Buffer, o: SendOptions, client: GatewayClient, now: Date): Promise<{ bytes: Buffer; xml: boolean; changed?: string }> {
  const decoded = decode(bytes);
  const xml = decoded.format === 'xml' || /^\uFEFF?\s*</.test(bytes.toString('utf8'));
  if (decoded.signed) return { bytes, xml }; // its signature covers these bytes exactly
  let text = bytes.toString('utf8');
  let changed: string | undefined;
  if (o.newId && decoded.document !== undefined && decoded.format !== undefined) {
    const from = typeof decoded.document.from === 'string' ? decoded.document.from : client.code;
    const doc: MessageDocument = { ...decoded.document, id: freshMessageId(from, now), sentAt: formatBeijing(now) };
    try {
      text = decoded.format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : encode(doc, 'xml');
      changed = String(doc.id);
    } catch {
      // Not encodable as declared (an invalid document): sent as written, for the gateway to say why.
    }
  }
  if (!o.sign) return { bytes: Buffer.from(text), xml, ...(changed !== undefined && { changed }) };
  const signed = await signDocument(text, client.identity.credential);
  return { bytes: Buffer.from(signed), xml, ...(changed !== undefined && { changed }) };
}

interface ReceiptBody { messageId?: string; acceptedAt?: string; recipients?: string[]; note?: string; sha256?: string }

function receiptBody(receipt: Buffer): ReceiptBody | undefined {
  const d = decode(receipt);
  return d.document?.body as ReceiptBody | undefined;
}

/** `mmgw send FILE --as CODE`: signs a form with the institution's credential and submits it to the gateway. */
export function createSendCommand(env: NodeJS.ProcessEnv = process.env, clock: Clock = systemClock): CommandModule {
  return {
    register(program: Command, ctx: CommandContext): void {
      withClientOptions(
        program
          .command('send')
          .argument('<file>', 'the form, XML or JSON (e.g. contracts/examples/incident-report.json)')
          .description('signs FILE with the credential of --as (or --key/--cert) and submits it to the gateway: prints the message id and the receipt, or every reason of the rejection (exit 1)'),
      )
        .option('--no-new-id', 'keep the id and sentAt written in FILE (by default a fresh id and sentAt = now, so an example can be sent again and again)')
        .option('--no-sign', 'submit FILE without signing it (the gateway refuses it: to see the refusal)')
        .option('--sample <file...>', 'after the report is accepted, upload these sample files (PUT /v1/samples/{sha256}; each must match an MD5 declared in the form)')
        .addHelpText('after', '\nA file that is already signed is sent unchanged. Exit 0 accepted, 1 refused, 2 bad usage, 3 gateway unreachable.')
        .action(async (file: string, o: SendOptions) => runClient(ctx, async () => {
          let bytes: Buffer;
          try {
            bytes = readFileSync(file);
          } catch (e) {
            throw new GatewayError('usage.file-unreadable', `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { path: file });
          }
          const samples = (o.sample ?? []).map((f) => {
            try {
              return { file: f, bytes: readFileSync(f) };
            } catch (e) {
              throw new GatewayError('usage.file-unreadable', `cannot read the sample ${f} (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { path: f });
            }
          });
          const client = clientOf(o, env);
          const doc = await prepare(bytes, o, client, clock.now());
          const res = await client.send('POST', '/v1/messages', { bytes: doc.bytes, type: doc.xml ? 'application/xml' : 'application/jose+json' });
          if (res.status !== 202) throw new RefusedError(res);
          const messageId = String(res.headers['mmgw-message-id'] ?? '');
          const receipt = receiptBody(res.body);
          ctx.io.out(`accepted ${messageId}${res.headers['mmgw-duplicate'] === 'true' ? ' (already accepted before: the first receipt)' : ''}`);
          if (receipt) {
            ctx.io.out(`receipt: accepted at ${receipt.acceptedAt ?? '?'}, sha256 ${receipt.sha256 ?? '?'}`);
            if (receipt.recipients) ctx.io.out(`recipients: ${receipt.recipients.join(', ')}`);
            if (receipt.note) ctx.io.out(`note: ${receipt.note}`);
          }
          for (const s of samples) {
            const sha256 = createHash('sha256').update(s.bytes).digest('hex');
            const put = await client.send('PUT', `/v1/samples/${sha256}`, { bytes: s.bytes, type: 'application/octet-stream' });
            if (put.status !== 201 && put.status !== 200) throw new RefusedError(put);
            const facts = parseJson<{ md5?: string; size?: number }>(put);
            ctx.io.out(`sample ${s.file}: stored as ${sha256} (md5 ${facts.md5 ?? '?'}, ${facts.size ?? s.bytes.length} bytes)`);
          }
        }));
    },
  };
}

/** The command as registered in `commandModules`. */
export const sendCommand = createSendCommand();
