import { createHash } from 'node:crypto';
import { In, Not, type DataSource } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
import type { MessageDocument } from '../../contracts/codec/message-document';
import { formatContractError } from '../../contracts/validation/contract-error';
import { validateInput } from '../../contracts/validation/validate-input';
import { appendAudit } from '../audit/append';
import { verifyDocument } from '../signing/documents';
import type { TrustStore } from '../signing/trust-store';
import { isSqlite } from '../store/dialect';
import { DeliveryEntity, type DeliveryRow } from '../store/entities/delivery';
import { ReceiptEntity } from '../store/entities/receipt';
import { transaction } from '../store/transaction';
import { deliveryRef, parseDeliveryRef } from './delivery-id';
import type { DeliveryContext } from './options';

/** What an accepted (or repeated) acknowledgement established. */
export interface AcknowledgementResult {
  readonly deliveryId: string;
  readonly messageId: string;
  readonly recipientCode: string;
  /** When the gateway accepted the FIRST acknowledgement: the "received" time later clocks run from. */
  readonly acknowledgedAt: Date;
  /** The id of the stored acknowledgement (the receipts row, the acknowledgement's own envelope id). */
  readonly receiptId: string;
  /** True when the delivery was acknowledged already: nothing changed, the first acknowledgement stands. */
  readonly duplicate: boolean;
}

/** Settings of `acknowledge`. */
export interface AcknowledgeOptions {
  /** The trust anchors and CRLs the acknowledgement's signature is verified against. */
  readonly trust: TrustStore;
  /** The delivery the caller addressed (e.g. `POST /v1/mailbox/{deliveryId}/ack`): the body's deliveryId must be it (`delivery.ack-mismatch`). */
  readonly deliveryId?: string;
}

/** Statuses a delivery may be acknowledged from: it reached, or may have reached, its recipient. */
const OPEN: readonly DeliveryRow['status'][] = ['queued', 'sent', 'retrying'];

function readAck(bytes: Buffer): { doc: MessageDocument; body: Record<string, unknown> } {
  const checked = validateInput(bytes);
  if (!checked.ok || checked.value === undefined) {
    throw new GatewayError('delivery.ack-invalid', `the acknowledgement is not a valid document: ${checked.errors.map(formatContractError).join('; ')}`, { errors: checked.errors });
  }
  const doc = checked.value;
  if (doc.type !== 'Acknowledgement') throw new GatewayError('delivery.ack-invalid', `the document is a ${String(doc.type)}, not an Acknowledgement`, { path: 'type' });
  return { doc, body: doc.body as Record<string, unknown> };
}

/**
 * Accepts a recipient's signed Acknowledgement of a delivery (seam 2): validates it, verifies
 * its signature against `trust`, checks that its signer is the delivery's recipient and that it
 * names the delivery's message, then in ONE transaction stores its exact bytes (receipts, kind
 * `acknowledgement`), sets the delivery `acknowledged` with `acknowledgedAt` = now, sets every
 * other copy of the message to the same recipient still in play (queued, sent, retrying: the
 * e-mail copy of the deadline-aware fall-back, or its primary) `superseded`, appends the audit
 * entry (kind `acknowledgement`, naming the superseded copies) and calls the obligations hook
 * `onDeliveryAcknowledged`. A delivery already acknowledged, or superseded by an acknowledged
 * copy, changes nothing and answers with the first acknowledgement (`duplicate: true`). A
 * refusal throws its `delivery.*` code, changes nothing and is recorded
 * in the audit (kind `reject`).
 */
export async function acknowledge(dataSource: DataSource, bytes: Buffer, options: AcknowledgeOptions, ctx: DeliveryContext): Promise<AcknowledgementResult> {
  const hash = createHash('sha256').update(bytes).digest('hex');
  let signer = 'unknown';
  let subject = 'acknowledgement';
  try {
    const { doc, body } = readAck(bytes);
    subject = String(body.deliveryId);
    const verified = await verifyDocument(bytes, { trust: options.trust });
    if (!verified.ok) throw new GatewayError('delivery.ack-signature', `the acknowledgement's signature is refused: ${verified.message}`, { signatureCode: verified.code });
    signer = verified.institution;
    if (options.deliveryId !== undefined && options.deliveryId !== body.deliveryId) {
      throw new GatewayError('delivery.ack-mismatch', `the acknowledgement names delivery ${String(body.deliveryId)}, it was sent for ${options.deliveryId}`, { path: 'body.deliveryId' });
    }
    const id = parseDeliveryRef(String(body.deliveryId));
    return await transaction(dataSource, async (m) => {
      const now = ctx.clock.now();
      // Every copy of the message to the recipient is locked by its primary key, in id order (so two
      // acknowledgements of two copies at once wait for each other instead of deadlocking): one may
      // supersede the other. READ COMMITTED (below): each read after the locks sees what committed
      // before them (the other acknowledgement, the deadline-aware fall-back's copy, which is
      // written under the primary's lock), and no range read takes gap locks.
      let d = await m.findOneBy(DeliveryEntity, { id });
      if (d !== null && !isSqlite(m)) {
        const copies = await m.find(DeliveryEntity, { where: { messageId: d.messageId, recipientCode: d.recipientCode }, select: { id: true } });
        const ids = [...new Set([id, ...copies.map((c) => c.id)])].sort((a, b) => a - b);
        d = (await m.find(DeliveryEntity, { where: { id: In(ids) }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' as const } })).find((c) => c.id === id) ?? null;
      }
      const ref = deliveryRef(id);
      if (d === null) throw new GatewayError('delivery.unknown-delivery', `no delivery ${ref}`, { path: 'body.deliveryId' });
      if (signer !== d.recipientCode) throw new GatewayError('delivery.ack-wrong-signer', `${ref} goes to ${d.recipientCode}; an acknowledgement signed by ${signer} cannot acknowledge it`, { path: 'from', recipient: d.recipientCode, signer });
      if (body.messageId !== d.messageId) throw new GatewayError('delivery.ack-mismatch', `${ref} carries message ${d.messageId}, the acknowledgement names ${String(body.messageId)}`, { path: 'body.messageId' });
      const result = { deliveryId: ref, messageId: d.messageId, recipientCode: d.recipientCode };
      if (d.status === 'acknowledged') return { ...result, acknowledgedAt: d.acknowledgedAt!, receiptId: d.ackReceiptId!, duplicate: true };
      if (d.status === 'superseded') {
        // The other copy was acknowledged first: that acknowledgement stands for this one too.
        const first = await m.findOne(DeliveryEntity, { where: { messageId: d.messageId, recipientCode: d.recipientCode, status: 'acknowledged' }, order: { acknowledgedAt: 'ASC' } });
        if (first !== null) return { ...result, acknowledgedAt: first.acknowledgedAt!, receiptId: first.ackReceiptId!, duplicate: true };
      }
      if (!OPEN.includes(d.status)) throw new GatewayError('delivery.ack-not-open', `${ref} is ${d.status}; acknowledge the delivery it fell back to`, { status: d.status });
      const receiptId = String(doc.id);
      if (await m.existsBy(ReceiptEntity, { id: receiptId })) throw new GatewayError('delivery.ack-id-reused', `a document with id ${receiptId} is stored already`, { path: 'id' });
      await m.insert(ReceiptEntity, { id: receiptId, kind: 'acknowledgement', messageId: d.messageId, issuerCode: signer, bytes, hash, subjectHash: null, createdAt: now });
      await m.update(DeliveryEntity, { id }, { status: 'acknowledged', acknowledgedAt: now, ackReceiptId: receiptId, statusSince: now, sentAt: d.sentAt ?? now });
      // The other copies still in play (the e-mail sent beside the primary, or the primary beside it) are settled with it.
      const others = await m.find(DeliveryEntity, { where: { messageId: d.messageId, recipientCode: d.recipientCode, id: Not(id), status: In([...OPEN]) }, select: { id: true } });
      if (others.length > 0) await m.update(DeliveryEntity, { id: In(others.map((o) => o.id)) }, { status: 'superseded', statusSince: now });
      await ctx.hooks.onDeliveryAcknowledged(m, { messageId: d.messageId, deliveryId: ref, recipientCode: d.recipientCode, acknowledgedAt: now }, now);
      await appendAudit(m, {
        kind: 'acknowledgement', actor: signer, subject: d.messageId,
        details: { deliveryId: ref, recipient: d.recipientCode, channel: d.channel, receiptId, hash, receivedAt: String(body.receivedAt), ...(others.length > 0 ? { superseded: others.map((o) => deliveryRef(o.id)) } : {}) },
      }, now);
      return { ...result, acknowledgedAt: now, receiptId, duplicate: false };
    }, { isolation: 'READ COMMITTED' });
  } catch (e) {
    if (e instanceof GatewayError && e.code.startsWith('delivery.')) {
      await transaction(dataSource, (m) => appendAudit(m, {
        kind: 'reject', actor: signer, subject: subject.slice(0, 191) || 'acknowledgement', details: { what: 'acknowledgement', code: e.code, hash },
      }, ctx.clock.now()));
    }
    throw e;
  }
}
