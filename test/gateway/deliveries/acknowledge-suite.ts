import type { BusMessage } from '../../../gateway/bus';
import { acknowledge, deliveryRef, DELIVERY_QUEUES, routeAcceptedMessage } from '../../../gateway/deliveries';
import { AuditEntryEntity, ReceiptEntity, transaction } from '../../../gateway/store';
import { TestPki, signedAck } from './pki';
import { accept, closeWorld, deliveriesOf, freshCode, openWorldIf, liveIt, type UrlSource, type World } from './world';

const job = (messageId: string): BusMessage => ({
  id: `accepted:${messageId}`, topic: 'message.accepted.IncidentNotice', queue: DELIVERY_QUEUES.routing, payload: Buffer.from(JSON.stringify({ messageId })), headers: {}, attempt: 1,
});

/** Acknowledgements: by the recipient only, once, with their exact bytes and time. */
export function acknowledgeSuite(urls: UrlSource): void {
  describe('acknowledgement', () => {
    const it = liveIt(() => w !== undefined);
    let w: World;
    let pki: TestPki;
    beforeAll(async () => {
      w = (await openWorldIf(urls))!;
      if (w === undefined) return;
      pki = new TestPki(w.clock.now());
    });
    afterAll(() => closeWorld(w));

    async function delivered(): Promise<{ messageId: string; deliveryId: string; recipient: string; other: string }> {
      const [recipient, other] = [freshCode(), freshCode()];
      const msg = await accept(w, { from: 'cncert', to: [recipient, other] });
      await routeAcceptedMessage(w.ds, job(msg.id), w.ctx);
      const [mine] = await deliveriesOf(w, msg.id);
      return { messageId: msg.id, deliveryId: deliveryRef(mine!.id), recipient, other };
    }

    it('by the recipient: acknowledged with its time, the exact bytes stored, an audit entry and the obligations hook', async () => {
      const d = await delivered();
      w.clock.advance(90_000);
      const bytes = await signedAck(pki, d.recipient, { messageId: d.messageId, deliveryId: d.deliveryId, format: 'xml' });
      const before = w.acknowledged.length;
      const result = await acknowledge(w.ds, bytes, { trust: pki.trust }, w.ctx);
      expect(result).toMatchObject({ deliveryId: d.deliveryId, messageId: d.messageId, recipientCode: d.recipient, duplicate: false });
      expect(result.acknowledgedAt.toISOString()).toBe(w.clock.now().toISOString());
      const [row] = await deliveriesOf(w, d.messageId);
      expect([row!.status, row!.acknowledgedAt?.toISOString(), row!.ackReceiptId, row!.sentAt?.toISOString()]).toEqual(['acknowledged', w.clock.now().toISOString(), result.receiptId, w.clock.now().toISOString()]);
      const receipt = await transaction(w.ds, (m) => m.findOneByOrFail(ReceiptEntity, { id: result.receiptId }));
      expect([receipt.kind, receipt.messageId, receipt.issuerCode, receipt.bytes.equals(bytes)]).toEqual(['acknowledgement', d.messageId, d.recipient, true]);
      const audit = await transaction(w.ds, (m) => m.findBy(AuditEntryEntity, { subject: d.messageId, kind: 'acknowledgement' }));
      expect(audit.map((e) => [e.actor, (JSON.parse(e.details) as { deliveryId: string }).deliveryId])).toEqual([[d.recipient, d.deliveryId]]);
      expect(w.acknowledged.slice(before)).toEqual([{ messageId: d.messageId, deliveryId: d.deliveryId, recipientCode: d.recipient, acknowledgedAt: w.clock.now() }]);
    });

    it('by anyone else: refused with delivery.ack-wrong-signer, nothing changed, the refusal audited', async () => {
      const d = await delivered();
      const [before] = await deliveriesOf(w, d.messageId);
      const hooks = w.acknowledged.length;
      // A validly signed acknowledgement, by the other recipient of the same message.
      const forged = await signedAck(pki, d.other, { messageId: d.messageId, deliveryId: d.deliveryId });
      await expect(acknowledge(w.ds, forged, { trust: pki.trust }, w.ctx)).rejects.toMatchObject({ code: 'delivery.ack-wrong-signer', facts: { recipient: d.recipient, signer: d.other } });
      expect((await deliveriesOf(w, d.messageId))[0]).toEqual(before);
      expect(await transaction(w.ds, (m) => m.countBy(ReceiptEntity, { messageId: d.messageId }))).toBe(0);
      expect(w.acknowledged.length).toBe(hooks);
      const rejects = await transaction(w.ds, (m) => m.findBy(AuditEntryEntity, { subject: d.deliveryId, kind: 'reject' }));
      expect(rejects.map((e) => [e.actor, (JSON.parse(e.details) as { code: string }).code])).toEqual([[d.other, 'delivery.ack-wrong-signer']]);
    });

    it('a second acknowledgement changes nothing and is answered with the first', async () => {
      const d = await delivered();
      const bytes = await signedAck(pki, d.recipient, { messageId: d.messageId, deliveryId: d.deliveryId });
      const first = await acknowledge(w.ds, bytes, { trust: pki.trust }, w.ctx);
      const hooks = w.acknowledged.length;
      w.clock.advance(3_600_000);
      const again = await acknowledge(w.ds, bytes, { trust: pki.trust }, w.ctx);
      const another = await acknowledge(w.ds, await signedAck(pki, d.recipient, { messageId: d.messageId, deliveryId: d.deliveryId }), { trust: pki.trust }, w.ctx);
      expect(again).toEqual({ ...first, duplicate: true });
      expect(another).toEqual({ ...first, duplicate: true });
      expect((await deliveriesOf(w, d.messageId))[0]!.acknowledgedAt?.toISOString()).toBe(first.acknowledgedAt.toISOString());
      expect(await transaction(w.ds, (m) => m.countBy(ReceiptEntity, { messageId: d.messageId }))).toBe(1);
      expect(w.acknowledged.length).toBe(hooks);
    });

    it('refuses a tampered, invalid, mismatched or unknown acknowledgement, each with its code', async () => {
      const d = await delivered();
      const good = await signedAck(pki, d.recipient, { messageId: d.messageId, deliveryId: d.deliveryId, format: 'xml' });
      const tampered = Buffer.from(good.toString('utf8').replace('11:00:30', '11:00:31'));
      await expect(acknowledge(w.ds, tampered, { trust: pki.trust }, w.ctx)).rejects.toMatchObject({ code: 'delivery.ack-signature' });
      await expect(acknowledge(w.ds, Buffer.from('{"id":'), { trust: pki.trust }, w.ctx)).rejects.toMatchObject({ code: 'delivery.ack-invalid' });
      const [, otherMsgDelivery] = await deliveriesOf(w, d.messageId);
      const elsewhere = await delivered();
      await expect(acknowledge(w.ds, await signedAck(pki, d.recipient, { messageId: elsewhere.messageId, deliveryId: d.deliveryId }), { trust: pki.trust }, w.ctx)).rejects.toMatchObject({ code: 'delivery.ack-mismatch' });
      await expect(acknowledge(w.ds, await signedAck(pki, d.recipient, { messageId: d.messageId, deliveryId: 'dlv-99999999' }), { trust: pki.trust }, w.ctx)).rejects.toMatchObject({ code: 'delivery.unknown-delivery' });
      await expect(acknowledge(w.ds, good, { trust: pki.trust, deliveryId: 'dlv-99999999' }, w.ctx)).rejects.toMatchObject({ code: 'delivery.ack-mismatch', facts: { path: 'body.deliveryId' } });
      await expect(acknowledge(w.ds, await signedAck(pki, d.recipient, { messageId: d.messageId, deliveryId: 'delivery-7x' }), { trust: pki.trust }, w.ctx)).rejects.toMatchObject({ code: 'delivery.unknown-delivery' });
      expect((await deliveriesOf(w, d.messageId)).map((r) => r.status)).toEqual(['queued', otherMsgDelivery!.status]);
      // The good one still works afterwards.
      await expect(acknowledge(w.ds, good, { trust: pki.trust, deliveryId: d.deliveryId }, w.ctx)).resolves.toMatchObject({ duplicate: false });
    });
  });
}
