import type { BusMessage } from '../../../gateway/bus';
import { acknowledge, deliveryContext, deliveryRef, DELIVERY_QUEUES, findStuckDeliveries, messageStatus, routeAcceptedMessage, runDeadlineFallback, type DeliveryContext } from '../../../gateway/deliveries';
import { obligationHooks, ObligationEntity, type CoreHooks } from '../../../gateway/obligations';
import { AuditEntryEntity, transaction, type Channel } from '../../../gateway/store';
import { TestPki, signedAck } from './pki';
import { accept, closeWorld, deliveriesOf, freshCode, liveIt, openWorldIf, register, type UrlSource, type World } from './world';

const MIN = 60_000;
const HOUR = 60 * MIN;

const job = (messageId: string): BusMessage => ({
  id: `accepted:${messageId}`, topic: 'message.accepted.IncidentNotice', queue: DELIVERY_QUEUES.routing, payload: Buffer.from(JSON.stringify({ messageId })), headers: {}, attempt: 1,
});

/**
 * Issue 7 item 3 for a clock that starts only on receipt: an IncidentNotice's disposal-feedback
 * (Art. 11(4), 2 h at level I/II) opens when the unit acknowledges the notice, so an
 * unacknowledged notice has no open obligation; the fall-back takes its share of the clock that
 * WOULD run had the notice been received when it was queued. And once one copy (primary or
 * e-mail) is acknowledged, the other is superseded: the status API and the stuck detector agree.
 * The real obligations hooks, on a TestClock.
 */
export function receiptClockSuite(urls: UrlSource): void {
  describe('deadline-aware fall-back on the receipt clock, and the copy an acknowledgement supersedes', () => {
    const it = liveIt(() => w !== undefined);
    let w: World;
    let pki: TestPki;
    let hooks: CoreHooks;
    let ctx: DeliveryContext;
    beforeAll(async () => {
      w = (await openWorldIf(urls))!;
      if (w === undefined) return;
      pki = new TestPki(w.clock.now());
      hooks = obligationHooks();
      ctx = deliveryContext({ clock: w.clock, hooks });
    });
    afterAll(() => closeWorld(w));

    /** An IncidentNotice of `level` from cncert to a fresh operator, accepted with its case (the obligations hook) and routed to the operator's first channel. */
    async function notice(channels: Channel[], level = 'II'): Promise<{ recipient: string; messageId: string; queuedAt: Date }> {
      const recipient = freshCode('op');
      await register(w, recipient, channels);
      const msg = await accept(w, { from: 'cncert', to: [recipient] });
      const now = w.clock.now();
      const task = `T${msg.id}`;
      await transaction(w.ds, (m) => hooks.onMessageAccepted(m, {
        id: msg.id, type: 'IncidentNotice', from: 'cncert', to: [recipient], cc: [], sentAt: now, taskNumber: task, inReplyTo: null,
        body: { taskNumber: task, level, provinces: ['11'] }, receivedAt: now,
      }, now));
      await routeAcceptedMessage(w.ds, job(msg.id), ctx);
      return { recipient, messageId: msg.id, queuedAt: now };
    }

    const mine = async (messageId: string, share?: number) => (await runDeadlineFallback(w.ds, ctx, share ? { sharePercent: share } : {})).filter((s) => s.messageId === messageId);
    const ack = async (recipient: string, messageId: string, deliveryId: number) => acknowledge(w.ds, await signedAck(pki, recipient, { messageId, deliveryId: deliveryRef(deliveryId) }), { trust: pki.trust }, ctx);

    it('a level II notice unacknowledged in its mailbox is mailed at 30 min of the 2 h it would have had, not before, once', async () => {
      const n = await notice([{ kind: 'mailbox' }, { kind: 'email', endpoint: 'duty@op.example' }]);
      w.clock.advance(30 * MIN - 1000);
      expect(await mine(n.messageId)).toEqual([]);
      expect((await deliveriesOf(w, n.messageId)).map((d) => d.channel)).toEqual(['mailbox']);

      w.clock.advance(1000);
      const sent = await mine(n.messageId);
      expect(sent).toEqual([expect.objectContaining({ recipientCode: n.recipient, channel: 'mailbox', obligation: 'disposal-feedback', wouldBe: true })]);
      expect(sent[0]!.due.toISOString()).toBe(new Date(n.queuedAt.getTime() + 2 * HOUR).toISOString());
      expect((await deliveriesOf(w, n.messageId)).map((d) => [d.channel, d.status])).toEqual([['mailbox', 'queued'], ['email', 'queued']]);
      // The clock itself still opens only on receipt.
      expect(await w.ds.getRepository(ObligationEntity).countBy({ openedBy: n.messageId })).toBe(0);
      const audit = await w.ds.getRepository(AuditEntryEntity).find({ where: { subject: n.messageId, kind: 'delivery' } });
      expect(audit.map((a) => String(a.details))).toEqual(expect.arrayContaining([expect.stringMatching(/"event":"also-by-email".*"wouldBe":true/)]));

      w.clock.advance(HOUR);
      expect(await mine(n.messageId)).toEqual([]);
      expect(await deliveriesOf(w, n.messageId)).toHaveLength(2);
    });

    it('a level I notice unacknowledged on push is mailed at 30 min; a level III one (4 h) only at 60 min', async () => {
      const one = await notice([{ kind: 'push', endpoint: 'https://op.example/push' }, { kind: 'email', endpoint: 'duty@op.example' }], 'I');
      const three = await notice([{ kind: 'push', endpoint: 'https://op.example/push' }, { kind: 'email', endpoint: 'duty@op.example' }], 'III');
      w.clock.advance(30 * MIN);
      expect((await mine(one.messageId)).map((s) => [s.channel, s.obligation])).toEqual([['push', 'disposal-feedback']]);
      expect(await mine(three.messageId)).toEqual([]);
      w.clock.advance(30 * MIN);
      expect(await mine(three.messageId)).toHaveLength(1);
    });

    it('an acknowledged notice is never mailed: its disposal-feedback runs from the acknowledgement, and the delivery is closed', async () => {
      const n = await notice([{ kind: 'mailbox' }, { kind: 'email', endpoint: 'duty@op.example' }]);
      w.clock.advance(10 * MIN);
      const [primary] = await deliveriesOf(w, n.messageId);
      await ack(n.recipient, n.messageId, primary!.id);
      const [clock] = await w.ds.getRepository(ObligationEntity).findBy({ openedBy: n.messageId });
      expect([clock!.obligation, clock!.start.toISOString(), clock!.due?.toISOString()]).toEqual(['disposal-feedback', w.clock.now().toISOString(), new Date(w.clock.now().getTime() + 2 * HOUR).toISOString()]);
      for (const step of [20 * MIN, 30 * MIN, 3 * HOUR]) {
        w.clock.advance(step);
        expect(await mine(n.messageId)).toEqual([]);
      }
      expect((await deliveriesOf(w, n.messageId)).map((d) => [d.channel, d.status])).toEqual([['mailbox', 'acknowledged']]);
    });

    it('no e-mail copy for a recipient without an e-mail channel, nor once the unit has sent its DisposalFeedback', async () => {
      const noMail = await notice([{ kind: 'mailbox' }]);
      const answered = await notice([{ kind: 'mailbox' }, { kind: 'email', endpoint: 'duty@op.example' }]);
      const now = w.clock.now();
      const task = `T${answered.messageId}`;
      await transaction(w.ds, (m) => hooks.onMessageAccepted(m, {
        id: `${answered.recipient}-fb`, type: 'DisposalFeedback', from: answered.recipient, to: ['cncert'], cc: [], sentAt: now, taskNumber: task, inReplyTo: null,
        body: { taskNumber: task }, receivedAt: now,
      }, now));
      w.clock.advance(HOUR);
      expect(await mine(noMail.messageId)).toEqual([]);
      expect(await mine(answered.messageId)).toEqual([]);
    });

    it('acknowledging the e-mail copy supersedes the primary in the same transaction: status acknowledged, nothing stuck, a late acknowledgement of the primary is a duplicate', async () => {
      const n = await notice([{ kind: 'mailbox' }, { kind: 'email', endpoint: 'duty@op.example' }]);
      w.clock.advance(30 * MIN);
      const [sent] = await mine(n.messageId);
      const email = (await deliveriesOf(w, n.messageId)).find((d) => d.channel === 'email')!;
      expect(deliveryRef(email.id)).toBe(sent!.emailDeliveryId);
      const first = await ack(n.recipient, n.messageId, email.id);
      expect((await deliveriesOf(w, n.messageId)).map((d) => [d.channel, d.status, d.statusSince.toISOString()])).toEqual([
        ['mailbox', 'superseded', w.clock.now().toISOString()], ['email', 'acknowledged', w.clock.now().toISOString()],
      ]);
      const audit = await w.ds.getRepository(AuditEntryEntity).findOneByOrFail({ subject: n.messageId, kind: 'acknowledgement' });
      expect(JSON.parse(audit.details)).toMatchObject({ deliveryId: sent!.emailDeliveryId, superseded: [sent!.deliveryId] });

      const status = await messageStatus(w.ds, n.messageId, 'cncert');
      expect(status.recipients.map((r) => [r.recipient, r.status, r.channel])).toEqual([[n.recipient, 'acknowledged', 'email']]);
      expect(status.recipients[0]!.deliveries.map((d) => d.status)).toEqual(['acknowledged', 'superseded']);
      const stuck = await findStuckDeliveries(w.ds, {}, new Date(w.clock.now().getTime() + 25 * HOUR));
      expect(stuck.filter((s) => s.messageId === n.messageId)).toEqual([]);

      w.clock.advance(5 * MIN);
      const late = await ack(n.recipient, n.messageId, (await deliveriesOf(w, n.messageId))[0]!.id);
      expect([late.duplicate, late.receiptId, late.acknowledgedAt.toISOString()]).toEqual([true, first.receiptId, first.acknowledgedAt.toISOString()]);
      expect((await deliveriesOf(w, n.messageId)).map((d) => d.status)).toEqual(['superseded', 'acknowledged']);
      expect(await w.ds.getRepository(ObligationEntity).countBy({ openedBy: n.messageId, obligation: 'disposal-feedback' })).toBe(1);
    });

    it('acknowledging the primary supersedes the e-mail copy', async () => {
      const n = await notice([{ kind: 'push', endpoint: 'https://op.example/push' }, { kind: 'email', endpoint: 'duty@op.example' }]);
      w.clock.advance(30 * MIN);
      expect(await mine(n.messageId)).toHaveLength(1);
      const [primary] = await deliveriesOf(w, n.messageId);
      await ack(n.recipient, n.messageId, primary!.id);
      expect((await deliveriesOf(w, n.messageId)).map((d) => [d.channel, d.status])).toEqual([['push', 'acknowledged'], ['email', 'superseded']]);
      expect((await messageStatus(w.ds, n.messageId, n.recipient)).recipients[0]!.status).toBe('acknowledged');
      expect((await findStuckDeliveries(w.ds, {}, new Date(w.clock.now().getTime() + 25 * HOUR))).filter((s) => s.messageId === n.messageId)).toEqual([]);
    });

    it('both copies acknowledged at once: one acknowledgement stands, the other copy is superseded and its acknowledgement answered as a duplicate', async () => {
      const n = await notice([{ kind: 'mailbox' }, { kind: 'email', endpoint: 'duty@op.example' }]);
      w.clock.advance(30 * MIN);
      expect(await mine(n.messageId)).toHaveLength(1);
      const [primary, email] = await deliveriesOf(w, n.messageId);
      const results = await Promise.all([ack(n.recipient, n.messageId, primary!.id), ack(n.recipient, n.messageId, email!.id)]);
      expect(results.map((r) => r.duplicate).sort()).toEqual([false, true]);
      expect(results[0]!.receiptId).toBe(results[1]!.receiptId);
      expect((await deliveriesOf(w, n.messageId)).map((d) => d.status).sort()).toEqual(['acknowledged', 'superseded']);
      expect(await w.ds.getRepository(ObligationEntity).countBy({ openedBy: n.messageId, obligation: 'disposal-feedback' })).toBe(1);
    });
  });
}
