import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { encode } from '../../../contracts/codec';
import type { MessageDocument } from '../../../contracts/codec/message-document';
import { EmbeddedBus } from '../../../gateway/bus';
import { TestClock } from '../../../gateway/clock';
import { deliveryContext, deliveryQueueDeclarations, MailboxNotifier, type DeliveryContext } from '../../../gateway/deliveries';
import type { CertificateAuthority } from '../../../gateway/signing/dev-pki';
import { issueInstitutionCredential } from '../../../gateway/signing/dev-pki';
import { signDocument } from '../../../gateway/signing/documents';
import { migrate, openStore, transaction, writeOutbox, MessageEntity } from '../../../gateway/store';
import { migrations } from '../../../migrations';

/** A migrated SQLite store in a temporary directory, the embedded bus on it, a test clock and the delivery context. */
export interface CoreWorld {
  readonly dir: string;
  readonly ds: DataSource;
  readonly bus: EmbeddedBus;
  readonly clock: TestClock;
  readonly ctx: DeliveryContext;
  close(): Promise<void>;
}

/** Opens a CoreWorld (the caller closes it). */
export async function openCoreWorld(): Promise<CoreWorld> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-http-core-'));
  const ds = await openStore(`sqlite:${path.join(dir, 'mmgw.sqlite')}`, { migrations });
  await migrate(ds);
  const clock = new TestClock('2026-11-28T03:00:00Z');
  const ctx = deliveryContext({ clock, notifier: new MailboxNotifier() });
  const bus = new EmbeddedBus(ds, { exchange: 'mmgw', queues: deliveryQueueDeclarations() }, { pollIntervalMs: 20 });
  return {
    dir, ds, bus, clock, ctx,
    async close() {
      await bus.close({ drainTimeoutMs: 2000 });
      await ds.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Stores a message as intake leaves it (the messages row and the message.accepted outbox row in one transaction). */
export async function storeAccepted(w: CoreWorld, doc: { id: string; type: string; from: string; to: string[]; bytes: Buffer; format: 'xml' | 'json' }): Promise<void> {
  const now = w.clock.now();
  await transaction(w.ds, async (m) => {
    await m.insert(MessageEntity, {
      id: doc.id, type: doc.type, version: '1.0', fromCode: doc.from, toCodes: doc.to, ccCodes: [], sentAt: now, taskNumber: null, inReplyTo: null,
      format: doc.format, bytes: doc.bytes, hash: createHash('sha256').update(doc.bytes).digest('hex'), size: doc.bytes.length, acceptedAt: now,
    });
    await writeOutbox(m, [{ topic: `message.accepted.${doc.type}`, messageId: `accepted:${doc.id}`, payload: Buffer.from(JSON.stringify({ messageId: doc.id })) }], now);
  });
}

/** A signed Acknowledgement (JWS) of `deliveryId` by `signer`, with a credential of `ca`. */
export async function signedAcknowledgement(ca: CertificateAuthority, signer: string, ack: { messageId: string; deliveryId: string }): Promise<Buffer> {
  const doc = {
    id: `${signer}-20261128-ack${randomBytes(3).toString('hex')}`, type: 'Acknowledgement', version: '1.0', from: signer, to: ['mmgw'],
    sentAt: '2026-11-28T11:01:00+08:00', references: { inReplyTo: ack.messageId },
    body: { messageId: ack.messageId, deliveryId: ack.deliveryId, receivedAt: '2026-11-28T11:00:30+08:00' },
  };
  const credential = issueInstitutionCredential(ca, signer, { now: new Date('2026-11-28T00:00:00Z'), keyType: 'ec' });
  return Buffer.from(await signDocument(encode(doc as unknown as MessageDocument, 'json'), credential));
}
