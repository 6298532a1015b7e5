import { PermanentError, type BusMessage } from '../../../gateway/bus';
import { In } from 'typeorm';
import { DELIVERY_QUEUES, routeAcceptedMessage, routeAcceptedMessages, startRoutingWorker, deliveryRef } from '../../../gateway/deliveries';
import { Registry } from '../../../gateway/registry';
import { AuditEntryEntity, DedupeEntity, DeliveryEntity, OutboxEntity, transaction } from '../../../gateway/store';
import { accept, closeWorld, deliveriesOf, eventually, freshCode, openWorldIf, liveIt, register, type UrlSource, type World } from './world';

const job = (messageId: string, id = `accepted:${messageId}`): BusMessage => ({
  id, topic: 'message.accepted.IncidentNotice', queue: DELIVERY_QUEUES.routing, payload: Buffer.from(JSON.stringify({ messageId })), headers: {}, attempt: 1,
});

/** The routing worker: one delivery per recipient on its first channel, once. */
export function routingSuite(urls: UrlSource): void {
  describe('routing worker', () => {
    const it = liveIt(() => w !== undefined);
    let w: World;
    beforeAll(async () => { w = (await openWorldIf(urls))!; });
    afterAll(() => closeWorld(w));

    it('creates one delivery per recipient of a 3-recipient message, on each first channel, with audit entries and channel jobs', async () => {
      const [a, b, c, sender] = [freshCode(), freshCode(), freshCode(), 'cncert'];
      await register(w, a, [{ kind: 'mailbox' }, { kind: 'push', endpoint: 'https://localhost:1/a' }]);
      await register(w, b, [{ kind: 'push', endpoint: 'https://localhost:1/b' }, { kind: 'mailbox' }]);
      await register(w, c, [{ kind: 'email', endpoint: 'c@example.cn' }]);
      const msg = await accept(w, { from: sender, to: [a, b], cc: [c, a] });
      const created = await routeAcceptedMessage(w.ds, job(msg.id), w.ctx);
      expect(created).toHaveLength(3);
      const rows = await deliveriesOf(w, msg.id);
      expect(rows.map((r) => [r.recipientCode, r.role, r.channel, r.status, r.attempts])).toEqual([
        [a, 'to', 'mailbox', 'queued', 0], [b, 'to', 'push', 'queued', 0], [c, 'cc', 'email', 'queued', 0],
      ]);
      expect(rows.every((r) => r.queuedAt.getTime() === w.clock.now().getTime() && r.statusSince.getTime() === r.queuedAt.getTime())).toBe(true);
      const audit = await transaction(w.ds, (m) => m.find(AuditEntryEntity, { where: { subject: msg.id, kind: 'delivery' }, order: { seq: 'ASC' } }));
      expect(audit.map((e) => JSON.parse(e.details) as Record<string, unknown>)).toEqual(rows.map((r) => ({ event: 'queued', deliveryId: deliveryRef(r.id), recipient: r.recipientCode, role: r.role, channel: r.channel })));
      const jobs = await transaction(w.ds, (m) => m.find(OutboxEntity, { where: [{ messageId: `delivery:${deliveryRef(rows[1]!.id)}` }, { messageId: `delivery:${deliveryRef(rows[2]!.id)}` }], order: { id: 'ASC' } }));
      expect(jobs.map((j) => [j.topic, JSON.parse(j.payload.toString()) as unknown])).toEqual([
        ['delivery.push', { deliveryId: deliveryRef(rows[1]!.id) }], ['delivery.email', { deliveryId: deliveryRef(rows[2]!.id) }],
      ]);
    });

    it('creates nothing for a redelivered bus message, nor for the same message republished under another id', async () => {
      const [a, b, c] = [freshCode(), freshCode(), freshCode()];
      const msg = await accept(w, { from: 'cncert', to: [a, b, c] });
      expect(await routeAcceptedMessage(w.ds, job(msg.id), w.ctx)).toHaveLength(3);
      expect(await routeAcceptedMessage(w.ds, job(msg.id), w.ctx)).toEqual([]);
      expect(await routeAcceptedMessage(w.ds, job(msg.id, 'republished-by-hand'), w.ctx)).toEqual([]);
      expect(await deliveriesOf(w, msg.id)).toHaveLength(3);
      const entries = await transaction(w.ds, (m) => m.countBy(AuditEntryEntity, { subject: msg.id, kind: 'delivery' }));
      expect(entries).toBe(3);
    });

    it('gives a recipient missing from the registry its mailbox', async () => {
      const stranger = freshCode();
      const msg = await accept(w, { from: 'cncert', to: [stranger] });
      await routeAcceptedMessage(w.ds, job(msg.id), w.ctx);
      expect((await deliveriesOf(w, msg.id)).map((r) => [r.recipientCode, r.channel])).toEqual([[stranger, 'mailbox']]);
    });

    it('parks a job for an unknown message or without a messageId, creating nothing', async () => {
      const unknown = routeAcceptedMessage(w.ds, job('cncert-20261128-nosuch'), w.ctx);
      await expect(unknown).rejects.toBeInstanceOf(PermanentError);
      await expect(unknown).rejects.toMatchObject({ code: 'delivery.unknown-message' });
      await expect(routeAcceptedMessage(w.ds, { ...job('x'), payload: Buffer.from('{"id":1}') }, w.ctx)).rejects.toMatchObject({ code: 'delivery.bad-job' });
      await expect(routeAcceptedMessage(w.ds, { ...job('x'), payload: Buffer.from('not json') }, w.ctx)).rejects.toMatchObject({ code: 'delivery.bad-job' });
      expect(await deliveriesOf(w, 'cncert-20261128-nosuch')).toEqual([]);
      // The dedupe claim rolled back with the refusal: once the message exists, the same bus message routes it.
      await accept(w, { from: 'cncert', to: [freshCode()], id: 'cncert-20261128-nosuch' });
      expect(await routeAcceptedMessage(w.ds, job('cncert-20261128-nosuch'), w.ctx)).toHaveLength(1);
    });

    it('routes a batch in one transaction: each job answered on its own, a refused one writing nothing and holding up no other', async () => {
      const [a, b] = [freshCode(), freshCode()];
      const good = await accept(w, { from: 'cncert', to: [a], cc: [b] });
      const other = await accept(w, { from: 'cncert', to: [b] });
      const outcomes = await routeAcceptedMessages(w.ds, [
        job(good.id), job('cncert-20261128-missing'), { ...job('x'), id: 'malformed', payload: Buffer.from('[]') }, job(good.id), job(other.id), job(other.id, 'other-bus-id'),
      ], w.ctx);
      expect(outcomes.map((o) => (o.ok ? o.created.map((r) => r.recipientCode) : o.error.code))).toEqual([
        [a, b], 'delivery.unknown-message', 'delivery.bad-job', [], [b], [],
      ]);
      expect((await deliveriesOf(w, good.id)).length + (await deliveriesOf(w, other.id)).length).toBe(3);
      const claims = await transaction(w.ds, (m) => m.countBy(DedupeEntity, { consumer: DELIVERY_QUEUES.routing, key: In(['accepted:cncert-20261128-missing', 'malformed']) }));
      expect(claims).toBe(0);
    });

    it('a batch with a redelivered job among fresh ones: the one-statement claim gives way to a claim per job, the fresh ones still routed once', async () => {
      const [a, b, c] = [freshCode(), freshCode(), freshCode()];
      const old = await accept(w, { from: 'cncert', to: [a] });
      const fresh = await accept(w, { from: 'cncert', to: [b], cc: [c] });
      expect(await routeAcceptedMessage(w.ds, job(old.id), w.ctx)).toHaveLength(1);
      const outcomes = await routeAcceptedMessages(w.ds, [job(fresh.id), job(old.id), job(fresh.id)], w.ctx);
      expect(outcomes.map((o) => (o.ok ? o.created.map((r) => r.recipientCode) : o.error.code))).toEqual([[b, c], [], []]);
      expect((await deliveriesOf(w, old.id)).map((r) => r.recipientCode)).toEqual([a]);
      expect((await deliveriesOf(w, fresh.id)).map((r) => r.recipientCode)).toEqual([b, c]);
      const claims = await transaction(w.ds, (m) => m.countBy(DedupeEntity, { consumer: DELIVERY_QUEUES.routing, key: In([`accepted:${old.id}`, `accepted:${fresh.id}`]) }));
      expect(claims).toBe(2);
    });

    it('a redelivered job behind more fresh ones than one claim statement takes: every fresh one still routed, none claimed without its deliveries', async () => {
      // 101 fresh + 1 old = 102 claims: SQLite inserts them in statements of 100 + 2 rows, MySQL in
      // prepared ones of 96 + 4 + 2 (chunks of 100, each in prepared row counts), so the duplicate
      // is in a later statement than 100 fresh ones.
      const recipient = freshCode();
      const old = await accept(w, { from: 'cncert', to: [recipient] });
      expect(await routeAcceptedMessage(w.ds, job(old.id), w.ctx)).toHaveLength(1);
      const fresh: string[] = [];
      for (let i = 0; i < 101; i += 1) fresh.push((await accept(w, { from: 'cncert', to: [recipient] })).id);
      const outcomes = await routeAcceptedMessages(w.ds, [...fresh.map((id) => job(id)), job(old.id)], w.ctx);
      expect(outcomes.map((o) => (o.ok ? o.created.length : o.error.code))).toEqual([...fresh.map(() => 1), 0]);
      const routed = await transaction(w.ds, (m) => m.countBy(DeliveryEntity, { messageId: In([...fresh, old.id]) }));
      expect(routed).toBe(102);
      const claims = await transaction(w.ds, (m) => m.countBy(DedupeEntity, { consumer: DELIVERY_QUEUES.routing, key: In([...fresh, old.id].map((id) => `accepted:${id}`)) }));
      expect(claims).toBe(102);
    });

    it('with a cached Registry in the context: the channels come from it (until invalidated), a code it does not know yet from the store', async () => {
      const [a, b] = [freshCode(), freshCode()];
      await register(w, a, [{ kind: 'push', endpoint: 'https://localhost:1/a' }, { kind: 'mailbox' }]);
      const registry = new Registry(w.ds, { clock: w.clock, ttlMs: 3_600_000 });
      const ctx = { ...w.ctx, registry };
      expect((await registry.get(a))?.channels[0]?.kind).toBe('push');
      // Changed in the store after the registry read it; b registered after that read.
      await register(w, a, [{ kind: 'mailbox' }]);
      await register(w, b, [{ kind: 'email', endpoint: 'b@example.cn' }]);
      const first = await accept(w, { from: 'cncert', to: [a, b] });
      expect((await routeAcceptedMessage(w.ds, job(first.id), ctx)).map((r) => [r.recipientCode, r.channel])).toEqual([[a, 'push'], [b, 'email']]);
      registry.invalidate();
      const second = await accept(w, { from: 'cncert', to: [a, b] });
      expect((await routeAcceptedMessage(w.ds, job(second.id), ctx)).map((r) => [r.recipientCode, r.channel])).toEqual([[a, 'mailbox'], [b, 'email']]);
    });

    it('routes through the bus: the seam-1 outbox row reaches the worker, and a redelivery through the bus adds nothing', async () => {
      const sub = await startRoutingWorker(w.bus, w.ds, w.ctx);
      await w.bus.start();
      try {
        const [a, b, c] = [freshCode(), freshCode(), freshCode()];
        const msg = await accept(w, { from: 'cncert', to: [a], cc: [b, c] });
        await eventually(async () => ((await deliveriesOf(w, msg.id)).length === 3 ? true : undefined), 'three deliveries');
        await w.bus.publish({ topic: 'message.accepted.IncidentNotice', id: `accepted:${msg.id}`, payload: Buffer.from(JSON.stringify({ messageId: msg.id })) });
        await eventually(async () => ((await transaction(w.ds, (m) => m.countBy(OutboxEntity, { queue: DELIVERY_QUEUES.routing }))) === 0 ? true : undefined), 'the routing queue to drain');
        expect((await deliveriesOf(w, msg.id)).map((r) => r.recipientCode)).toEqual([a, b, c]);
      } finally {
        await sub.cancel();
      }
    });

    it('routes a burst through the bus in batches: every message once to each recipient, the queue drained', async () => {
      const sub = await startRoutingWorker(w.bus, w.ds, w.ctx, { maxBatch: 8 });
      await w.bus.start();
      try {
        const rs = [freshCode(), freshCode(), freshCode()];
        const burst = await Promise.all(Array.from({ length: 40 }, () => accept(w, { from: 'cncert', to: rs.slice(0, 2), cc: rs.slice(2) })));
        await eventually(async () => ((await transaction(w.ds, (m) => m.countBy(DeliveryEntity, { recipientCode: In(rs) }))) === 120 ? true : undefined), '120 deliveries');
        await eventually(async () => ((await transaction(w.ds, (m) => m.countBy(OutboxEntity, { queue: DELIVERY_QUEUES.routing }))) === 0 ? true : undefined), 'the routing queue to drain');
        for (const msg of burst) expect((await deliveriesOf(w, msg.id)).map((r) => [r.recipientCode, r.role])).toEqual([[rs[0], 'to'], [rs[1], 'to'], [rs[2], 'cc']]);
        expect(await w.bus.parkedCount(DELIVERY_QUEUES.routing)).toBe(0);
      } finally {
        await sub.cancel();
      }
    });
  });
}
