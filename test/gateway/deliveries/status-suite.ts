import type { BusMessage } from '../../../gateway/bus';
import { DELIVERY_QUEUES, findStuckDeliveries, listMailbox, messageStatus, pushWorker, routeAcceptedMessage, runChannelJob, deliveryRef } from '../../../gateway/deliveries';
import { DeliveryEntity, transaction } from '../../../gateway/store';
import { accept, closeWorld, deliveriesOf, freshCode, openWorldIf, liveIt, register, type UrlSource, type World } from './world';

const job = (messageId: string): BusMessage => ({
  id: `accepted:${messageId}`, topic: 'message.accepted.IncidentNotice', queue: DELIVERY_QUEUES.routing, payload: Buffer.from(JSON.stringify({ messageId })), headers: {}, attempt: 1,
});
const MIN = 60_000;

/** messageStatus (sender and recipients only) and the stuck-delivery detector. */
export function statusSuite(urls: UrlSource): void {
  describe('message status and the stuck detector', () => {
    const it = liveIt(() => w !== undefined);
    let w: World;
    beforeAll(async () => { w = (await openWorldIf(urls))!; });
    afterAll(() => closeWorld(w));

    async function routed(from: string, to: string[], cc: string[] = []): Promise<string> {
      const msg = await accept(w, { from, to, cc });
      await routeAcceptedMessage(w.ds, job(msg.id), w.ctx);
      return msg.id;
    }

    it('shows per recipient and channel the status with its times, to the sender and the recipients only', async () => {
      const [sender, a, b, outsider] = [freshCode(), freshCode(), freshCode(), freshCode()];
      await register(w, b, [{ kind: 'email', endpoint: 'b@example.cn' }]);
      const queuedAt = w.clock.now();
      const id = await routed(sender, [a], [b]);
      w.clock.advance(5 * MIN);
      await listMailbox(w.ds, a, {}, w.ctx);
      const forSender = await messageStatus(w.ds, id, sender);
      expect(forSender).toMatchObject({ messageId: id, from: sender, type: 'IncidentNotice' });
      expect(forSender.recipients.map((r) => [r.recipient, r.role, r.channel, r.status, r.deliveries.map((d) => [d.status, d.queuedAt.toISOString(), d.sentAt?.toISOString() ?? null])])).toEqual([
        [a, 'to', 'mailbox', 'sent', [['sent', queuedAt.toISOString(), w.clock.now().toISOString()]]],
        [b, 'cc', 'email', 'queued', [['queued', queuedAt.toISOString(), null]]],
      ]);
      expect(await messageStatus(w.ds, id, a)).toEqual(forSender);
      expect(await messageStatus(w.ds, id, b)).toEqual(forSender);
      await expect(messageStatus(w.ds, id, outsider)).rejects.toMatchObject({ code: 'delivery.status-forbidden', facts: { caller: outsider } });
      await expect(messageStatus(w.ds, 'cncert-20261128-none', sender)).rejects.toMatchObject({ code: 'delivery.unknown-message' });
    });

    it('shows a recipient not yet routed as routing, and a fall-back chain newest first', async () => {
      const [sender, a] = [freshCode(), freshCode()];
      const msg = await accept(w, { from: sender, to: [a] });
      expect((await messageStatus(w.ds, msg.id, sender)).recipients).toEqual([{ recipient: a, role: 'to', status: 'routing', channel: null, deliveries: [] }]);
      const b = freshCode();
      await register(w, b, [{ kind: 'push', endpoint: 'http://plain.example.cn/in' }, { kind: 'mailbox' }]);
      const id = await routed(sender, [b]);
      const [push] = await deliveriesOf(w, id);
      const pushJob: BusMessage = { ...job(id), id: `delivery:${deliveryRef(push!.id)}`, queue: DELIVERY_QUEUES.push, payload: Buffer.from(JSON.stringify({ deliveryId: deliveryRef(push!.id) })) };
      await runChannelJob(w.ds, pushJob, w.ctx, pushWorker({ maxAttempts: 3 }));
      await runChannelJob(w.ds, pushJob, w.ctx, pushWorker({ maxAttempts: 3 })); // redelivered: nothing more
      const [status] = (await messageStatus(w.ds, id, b)).recipients;
      expect([status!.status, status!.channel, status!.deliveries.map((d) => [d.channel, d.status, d.attempts, d.lastErrorCode])]).toEqual([
        'queued', 'mailbox', [['mailbox', 'queued', 0, null], ['push', 'fell-back', 0, 'delivery.bad-endpoint']],
      ]);
    });

    it('reports deliveries stuck in a status longer than its threshold, oldest first, and nothing else', async () => {
      const t0 = w.clock.now();
      const a = freshCode();
      const stuckQueued = await routed('cncert', [a]);
      const fetched = await routed('cncert', [freshCode()]);
      w.clock.advance(5 * MIN);
      const fetchedBy = (await deliveriesOf(w, fetched))[0]!.recipientCode;
      await listMailbox(w.ds, fetchedBy, {}, w.ctx); // sent at t0 + 5 min
      w.clock.advance(5 * MIN);
      const fresh = await routed('cncert', [freshCode()]); // queued at t0 + 10 min
      const retrying = await routed('cncert', [freshCode()]);
      const [r] = await deliveriesOf(w, retrying);
      await transaction(w.ds, (m) => m.update(DeliveryEntity, { id: r!.id }, { status: 'retrying', attempts: 2, lastErrorCode: 'delivery.push-unavailable', statusSince: t0 }));
      const mine = new Set([stuckQueued, fetched, fresh, retrying]);
      const olderThan = { queued: 15 * MIN, sent: 60 * MIN, retrying: 5 * MIN };
      const at = (ms: number) => new Date(t0.getTime() + ms);
      const ids = async (now: Date) => (await findStuckDeliveries(w.ds, { olderThan }, now)).filter((s) => mine.has(s.messageId)).map((s) => [s.messageId, s.status, s.ageMs]);

      expect(await ids(at(15 * MIN))).toEqual([[retrying, 'retrying', 15 * MIN]]);
      expect(await ids(at(20 * MIN))).toEqual([[stuckQueued, 'queued', 20 * MIN], [retrying, 'retrying', 20 * MIN]]);
      expect(await ids(at(70 * MIN))).toEqual([[stuckQueued, 'queued', 70 * MIN], [retrying, 'retrying', 70 * MIN], [fetched, 'sent', 65 * MIN], [fresh, 'queued', 60 * MIN]]);
      const [one] = (await findStuckDeliveries(w.ds, { olderThan }, at(20 * MIN))).filter((s) => s.messageId === stuckQueued);
      expect(one).toMatchObject({ deliveryId: deliveryRef((await deliveriesOf(w, stuckQueued))[0]!.id), recipientCode: a, channel: 'mailbox', since: t0 });
      expect(await findStuckDeliveries(w.ds, { olderThan: {} }, at(1e9))).toEqual([]);
    });

    it('refuses thresholds for unknown statuses or negative times, listing each', async () => {
      const refused = findStuckDeliveries(w.ds, { olderThan: { queued: -1, lost: 5 } as never }, w.clock.now());
      await expect(refused).rejects.toMatchObject({ code: 'delivery.bad-threshold', facts: { problems: [expect.stringMatching(/^queued: must be a non-negative integer/), expect.stringMatching(/^lost: not a delivery status/)] } });
    });
  });
}
