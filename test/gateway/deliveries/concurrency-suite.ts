import type { BusMessage } from '../../../gateway/bus';
import { acknowledge, deliveryRef, DELIVERY_QUEUES, deliveryContext, listMailbox, MailboxNotifier, routeAcceptedMessage } from '../../../gateway/deliveries';
import { AuditEntryEntity, ReceiptEntity, transaction } from '../../../gateway/store';
import { TestPki, signedAck } from './pki';
import { accept, closeWorld, deliveriesOf, freshCode, liveIt, openWorldIf, type UrlSource, type World } from './world';

const job = (messageId: string): BusMessage => ({
  id: `accepted:${messageId}`, topic: 'message.accepted.IncidentNotice', queue: DELIVERY_QUEUES.routing, payload: Buffer.from(JSON.stringify({ messageId })), headers: {}, attempt: 1,
});

/** Two workers (as two gateway processes would) on the same job at the same instant: the work is done once. */
export function concurrencySuite(urls: UrlSource): void {
  describe('concurrent workers', () => {
    let w: World;
    const it = liveIt(() => w !== undefined);
    beforeAll(async () => { w = (await openWorldIf(urls))!; });
    afterAll(() => closeWorld(w));

    it('the same bus message routed by two workers at once creates one delivery per recipient', async () => {
      const other = deliveryContext({ clock: w.clock, notifier: new MailboxNotifier() });
      const messages = await Promise.all(Array.from({ length: 5 }, () => accept(w, { from: 'cncert', to: [freshCode(), freshCode()], cc: [freshCode()] })));
      const results = await Promise.all(messages.flatMap((m) => [routeAcceptedMessage(w.ds, job(m.id), w.ctx), routeAcceptedMessage(w.ds, job(m.id), other)]));
      expect(results.map((r) => r.length).sort()).toEqual([...Array(5).fill(0), ...Array(5).fill(3)]);
      for (const m of messages) {
        expect(await deliveriesOf(w, m.id)).toHaveLength(3);
        expect(await transaction(w.ds, (x) => x.countBy(AuditEntryEntity, { subject: m.id, kind: 'delivery' }))).toBe(3);
      }
    });

    it('two readers of one mailbox at once: each delivery is marked sent and audited once, both see it', async () => {
      const r = freshCode();
      const sent = await Promise.all(Array.from({ length: 4 }, () => accept(w, { from: 'cncert', to: [r] })));
      for (const m of sent) await routeAcceptedMessage(w.ds, job(m.id), w.ctx);
      const pages = await Promise.all([listMailbox(w.ds, r, {}, w.ctx), listMailbox(w.ds, r, {}, w.ctx)]);
      expect(pages.map((p) => p.items.map((i) => i.messageId).sort())).toEqual([sent.map((m) => m.id).sort(), sent.map((m) => m.id).sort()]);
      for (const m of sent) {
        const events = await transaction(w.ds, (x) => x.findBy(AuditEntryEntity, { subject: m.id, kind: 'delivery' }));
        expect(events.map((e) => (JSON.parse(e.details) as { event: string }).event).sort()).toEqual(['queued', 'sent']);
      }
    });

    it('two acknowledgements of one delivery at once: one is accepted, the other answered as a duplicate of it', async () => {
      const pki = new TestPki(w.clock.now());
      const r = freshCode();
      const msg = await accept(w, { from: 'cncert', to: [r] });
      await routeAcceptedMessage(w.ds, job(msg.id), w.ctx);
      const deliveryId = deliveryRef((await deliveriesOf(w, msg.id))[0]!.id);
      const [a, b] = [await signedAck(pki, r, { messageId: msg.id, deliveryId }), await signedAck(pki, r, { messageId: msg.id, deliveryId })];
      const hooks = w.acknowledged.length;
      const results = await Promise.all([acknowledge(w.ds, a, { trust: pki.trust }, w.ctx), acknowledge(w.ds, b, { trust: pki.trust }, w.ctx)]);
      expect(results.map((x) => x.duplicate).sort()).toEqual([false, true]);
      expect(results[0]!.receiptId).toBe(results[1]!.receiptId);
      expect(await transaction(w.ds, (x) => x.countBy(ReceiptEntity, { messageId: msg.id }))).toBe(1);
      expect(w.acknowledged.length - hooks).toBe(1);
    });
  });
}
