import { checkDeadlineShare, runDeadlineFallback } from '../../../gateway/deliveries/deadline-fallback';
import { deliveryContext, routeAcceptedMessage, type DeliveryContext } from '../../../gateway/deliveries';
import { ObligationEntity } from '../../../gateway/obligations/entities';
import { AuditEntryEntity, DeliveryEntity, OutboxEntity, transaction } from '../../../gateway/store';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { accept, closeWorld, deliveriesOf, freshCode, liveIt, openWorldIf, register, type UrlSource, type World } from './world';

const HOUR = 3_600_000;

/**
 * The deadline-aware fall-back on a TestClock: a delivery still unacknowledged on its primary
 * channel after 25 % (or the configured share) of the obligation's time is ALSO sent by e-mail,
 * once, without cancelling the primary.
 */
export function deadlineFallbackSuite(urls: UrlSource): void {
  describe('deadline-aware fall-back (also by e-mail after a share of the obligation\'s time)', () => {
    const it = liveIt(() => w !== undefined);
    let w: World;
    beforeAll(async () => { w = (await openWorldIf(urls))!; });
    afterAll(() => closeWorld(w));

    /** A message to `recipient` routed to its first channel, and an open obligation of the recipient it started (start now, due in `hours`). */
    async function scenario(channels: Parameters<typeof register>[2], hours = 4): Promise<{ recipient: string; messageId: string; start: Date }> {
      const recipient = freshCode('op');
      await register(w, recipient, channels);
      const msg = await accept(w, { from: 'cncert', to: [recipient] });
      await routeAcceptedMessage(w.ds, { id: `accepted:${msg.id}`, topic: 'message.accepted.IncidentNotice', queue: 'deliveries.routing', headers: {}, payload: Buffer.from(JSON.stringify({ messageId: msg.id })), attempt: 1 }, w.ctx);
      const start = w.clock.now();
      await w.ds.getRepository(ObligationEntity).insert({
        key: `disposal-feedback|${recipient}||${msg.id}`, obligation: 'disposal-feedback', party: recipient, counterparty: 'cncert', caseKey: null, subject: msg.id, level: 'II',
        openedBy: msg.id, start, due: new Date(start.getTime() + hours * HOUR), dueProvisional: false, specialPeriod: null, state: 'open', waivedReason: null, closedBy: null,
        closedAt: null, provisional: false, levelHistory: [], nextAlertAt: null, openedAt: start,
      });
      return { recipient, messageId: msg.id, start };
    }

    it('sends nothing before 25 % of the time, then one e-mail delivery beside the open primary, and never again', async () => {
      const { recipient, messageId } = await scenario([{ kind: 'mailbox' }, { kind: 'email', endpoint: 'duty@op.example' }]);
      w.clock.advance(HOUR - 60_000); // 59 min of 4 h: under 25 %
      expect(await runDeadlineFallback(w.ds, w.ctx)).toEqual([]);
      expect((await deliveriesOf(w, messageId)).map((d) => d.channel)).toEqual(['mailbox']);

      w.clock.advance(60_000); // exactly 25 %
      const sent = await runDeadlineFallback(w.ds, w.ctx);
      expect(sent).toEqual([expect.objectContaining({ messageId, recipientCode: recipient, channel: 'mailbox', obligation: 'disposal-feedback' })]);
      const rows = await deliveriesOf(w, messageId);
      expect(rows.map((d) => [d.channel, d.status])).toEqual([['mailbox', 'queued'], ['email', 'queued']]);
      // The e-mail worker's job is in the outbox, in the same transaction.
      const jobs = await w.ds.getRepository(OutboxEntity).find({ where: { topic: 'delivery.email' } });
      expect(jobs.map((j) => JSON.parse(j.payload.toString()) as { deliveryId: string }).map((p) => p.deliveryId)).toContain(sent[0]!.emailDeliveryId);
      const audit = await w.ds.getRepository(AuditEntryEntity).find({ where: { subject: messageId, kind: 'delivery' } });
      expect(audit.map((a) => String(a.details))).toEqual(expect.arrayContaining([expect.stringContaining('"event":"also-by-email"')]));

      w.clock.advance(HOUR);
      expect(await runDeadlineFallback(w.ds, w.ctx)).toEqual([]);
      expect(await deliveriesOf(w, messageId)).toHaveLength(2);
    });

    it('two gateway processes checking at once send it once (claimed in the database)', async () => {
      const { messageId } = await scenario([{ kind: 'push', endpoint: 'https://op.example/push' }, { kind: 'email', endpoint: 'duty@op.example' }], 2);
      w.clock.advance(HOUR);
      const other: DeliveryContext = deliveryContext({ clock: w.clock });
      const [a, b] = await Promise.all([runDeadlineFallback(w.ds, w.ctx), runDeadlineFallback(w.ds, other)]);
      expect([...a, ...b].filter((s) => s.messageId === messageId)).toHaveLength(1);
      expect((await deliveriesOf(w, messageId)).filter((d) => d.channel === 'email')).toHaveLength(1);
    });

    it('uses the configured share', async () => {
      const { messageId } = await scenario([{ kind: 'mailbox' }, { kind: 'email', endpoint: 'duty@op.example' }], 10);
      w.clock.advance(3 * HOUR); // 30 % of 10 h
      expect((await runDeadlineFallback(w.ds, w.ctx, { sharePercent: 50 })).filter((s) => s.messageId === messageId)).toEqual([]);
      w.clock.advance(2 * HOUR); // 50 %
      expect((await runDeadlineFallback(w.ds, w.ctx, { sharePercent: 50 })).filter((s) => s.messageId === messageId)).toHaveLength(1);
    });

    it('does nothing for an acknowledged delivery, a recipient without e-mail, or a closed obligation', async () => {
      const acked = await scenario([{ kind: 'mailbox' }, { kind: 'email', endpoint: 'duty@op.example' }]);
      await transaction(w.ds, (m) => m.update(DeliveryEntity, { messageId: acked.messageId }, { status: 'acknowledged', acknowledgedAt: w.clock.now() }));
      const noMail = await scenario([{ kind: 'mailbox' }]);
      const closed = await scenario([{ kind: 'mailbox' }, { kind: 'email', endpoint: 'duty@op.example' }]);
      await w.ds.getRepository(ObligationEntity).update({ openedBy: closed.messageId }, { state: 'met', closedAt: w.clock.now() });
      w.clock.advance(3 * HOUR);
      const sent = await runDeadlineFallback(w.ds, w.ctx);
      expect(sent.filter((s) => [acked.messageId, noMail.messageId, closed.messageId].includes(s.messageId))).toEqual([]);
      for (const s of [acked, noMail, closed]) expect((await deliveriesOf(w, s.messageId)).map((d) => d.channel)).toEqual(['mailbox']);
    });

    it('looks only at deliveries it can act on: recipients without e-mail do not crowd out the others', async () => {
      const crowd = [];
      for (let i = 0; i < 3; i++) crowd.push(await scenario([{ kind: 'mailbox' }], 1));
      const wanted = await scenario([{ kind: 'mailbox' }, { kind: 'email', endpoint: 'duty@op.example' }], 4);
      w.clock.advance(2 * HOUR);
      const sent = await runDeadlineFallback(w.ds, w.ctx, { limit: 1 });
      expect(sent.map((s) => s.messageId)).toEqual([wanted.messageId]);
      for (const c of crowd) expect((await deliveriesOf(w, c.messageId)).map((d) => d.channel)).toEqual(['mailbox']);
    });

    it('refuses a share that is not a whole percentage from 1 to 99', async () => {
      for (const bad of [0, 100, 12.5, -3]) {
        expect(() => checkDeadlineShare(bad)).toThrow(GatewayError);
        expect(() => checkDeadlineShare(bad)).toThrow(/whole percentage from 1 to 99/);
      }
      expect(checkDeadlineShare(25)).toBe(25);
    });
  });
}
