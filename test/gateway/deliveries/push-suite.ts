import type { Subscription } from '../../../gateway/bus';
import { acknowledge, deliveryRef, DELIVERY_QUEUES, listMailbox, pushWorker, startDeliveryWorkers } from '../../../gateway/deliveries';
import { AuditEntryEntity, transaction, type DeliveryRow } from '../../../gateway/store';
import { startTestEndpoint, type TestEndpoint } from './https-server';
import { TestPki, signedAck } from './pki';
import { accept, closeWorld, deliveriesOf, eventually, freshCode, openWorldIf, liveIt, register, testTopology, TEST_PUSH_RETRY, type UrlSource, type World } from './world';

/** Push over HTTPS, retry with back-off, fall-back to the next channel; e-mail without a mailer falls back. */
export function pushSuite(urls: UrlSource): void {
  describe('push and fall-back', () => {
    const it = liveIt(() => w !== undefined);
    let w: World;
    let endpoint: TestEndpoint;
    let subs: Subscription[];
    beforeAll(async () => {
      w = (await openWorldIf(urls))!;
      if (w === undefined) return;
      endpoint = await startTestEndpoint();
      subs = await startDeliveryWorkers(w.bus, w.ds, testTopology(), w.ctx, { push: { ca: endpoint.certPem, timeoutMs: 2000 } });
      await w.bus.start();
    });
    afterAll(async () => {
      for (const s of subs ?? []) await s.cancel();
      await endpoint?.close();
      await closeWorld(w);
    });

    /** A recipient whose first channel is push to `path`, then `then`; a message to it; its deliveries once `done` holds. */
    async function pushTo(path: string, statuses: readonly (number | 'hang')[], done: (rows: DeliveryRow[]) => boolean, then: 'mailbox' | 'email' = 'mailbox') {
      const code = freshCode();
      endpoint.answer(path, statuses);
      await register(w, code, [{ kind: 'push', endpoint: endpoint.url(path) }, then === 'email' ? { kind: 'email', endpoint: `${code}@example.cn` } : { kind: 'mailbox' }]);
      const msg = await accept(w, { from: 'cncert', to: [code], format: 'json' });
      const rows = await eventually(async () => {
        const r = await deliveriesOf(w, msg.id);
        return r.length > 0 && done(r) ? r : undefined;
      }, `deliveries of ${msg.id} to settle`);
      const events = await transaction(w.ds, (m) => m.find(AuditEntryEntity, { where: { subject: msg.id }, order: { seq: 'ASC' } }));
      return { code, msg, rows, events: events.map((e): Record<string, unknown> => ({ kind: e.kind, ...(JSON.parse(e.details) as Record<string, unknown>) })) };
    }

    it('2xx: the exact signed bytes are POSTed with their content type, the delivery is sent, then acknowledged by the recipient', async () => {
      const { code, msg, rows } = await pushTo('/ok', [202], (r) => r[0]!.status === 'sent');
      expect(rows.map((r) => [r.channel, r.status, r.attempts, r.sentAt?.toISOString()])).toEqual([['push', 'sent', 1, w.clock.now().toISOString()]]);
      const got = endpoint.received.filter((r) => r.path === '/ok');
      expect(got).toHaveLength(1);
      expect(got[0]!.body.equals(msg.bytes)).toBe(true);
      expect(got[0]!.headers).toMatchObject({ 'content-type': 'application/jose+json', 'x-mmgw-delivery-id': deliveryRef(rows[0]!.id), 'x-mmgw-message-id': msg.id, 'x-mmgw-content-sha256': msg.hash });
      const pki = new TestPki(w.clock.now());
      const ack = await acknowledge(w.ds, await signedAck(pki, code, { messageId: msg.id, deliveryId: deliveryRef(rows[0]!.id) }), { trust: pki.trust }, w.ctx);
      expect(ack.duplicate).toBe(false);
      expect((await deliveriesOf(w, msg.id))[0]!.status).toBe('acknowledged');
    });

    it('5xx: retrying with back-off, then sent, the attempts counted', async () => {
      const { rows, events } = await pushTo('/flaky', [503, 200], (r) => r[0]!.status === 'sent');
      expect(rows.map((r) => [r.channel, r.status, r.attempts, r.lastErrorCode])).toEqual([['push', 'sent', 2, null]]);
      expect(events.map((e) => [e.kind, e.event, e.attempt ?? null, e.code ?? null])).toEqual([
        ['delivery', 'queued', null, null], ['delivery', 'retrying', 1, 'delivery.push-unavailable'], ['delivery', 'sent', 2, null],
      ]);
      expect(endpoint.received.filter((r) => r.path === '/flaky')).toHaveLength(2);
    });

    it('always 5xx: failed after the last attempt and fell back to the next channel, with an alert, and the mailbox has it', async () => {
      const { code, msg, rows, events } = await pushTo('/down', [500], (r) => r.length === 2);
      expect(rows.map((r) => [r.channel, r.status, r.attempts, r.lastErrorCode])).toEqual([
        ['push', 'fell-back', TEST_PUSH_RETRY.maxAttempts, 'delivery.push-exhausted'], ['mailbox', 'queued', 0, null],
      ]);
      const alert = events.find((e) => e.kind === 'fall-back');
      expect(alert).toMatchObject({ alert: true, outcome: 'fell-back', deliveryId: deliveryRef(rows[0]!.id), nextDeliveryId: deliveryRef(rows[1]!.id), nextChannel: 'mailbox', cause: 'delivery.push-exhausted' });
      expect(events.filter((e) => e.event === 'retrying')).toHaveLength(TEST_PUSH_RETRY.maxAttempts - 1);
      expect(endpoint.received.filter((r) => r.path === '/down')).toHaveLength(TEST_PUSH_RETRY.maxAttempts);
      expect((await listMailbox(w.ds, code, {}, w.ctx)).items.map((i) => [i.messageId, i.deliveryId])).toEqual([[msg.id, deliveryRef(rows[1]!.id)]]);
      expect(await w.bus.parkedCount(DELIVERY_QUEUES.push)).toBe(0);
    });

    it('4xx: refused, fell back at once; e-mail without a mailer falls back to the mailbox (delivery.email-unavailable)', async () => {
      const { rows, events } = await pushTo('/refuse', [403], (r) => r.length === 3, 'email');
      expect(rows.map((r) => [r.channel, r.status, r.attempts, r.lastErrorCode])).toEqual([
        ['push', 'fell-back', 1, 'delivery.push-refused'], ['email', 'fell-back', 0, 'delivery.email-unavailable'], ['mailbox', 'queued', 0, null],
      ]);
      expect(events.filter((e) => e.kind === 'fall-back').map((e) => [e.channel, e.nextChannel])).toEqual([['push', 'email'], ['email', 'mailbox']]);
    });

    it('the CA is configurable: without it the self-signed endpoint is not trusted; a hanging endpoint times out; both are worth a retry', async () => {
      const d = { id: 1, recipientCode: 'op-x' } as DeliveryRow;
      const message = { id: 'cncert-20261128-9999', type: 'IncidentNotice', format: 'xml' as const, bytes: Buffer.from('<x/>'), hash: '0'.repeat(64) };
      const untrusting = pushWorker({ maxAttempts: 3, timeoutMs: 2000 });
      expect(await untrusting.send(d, message, { kind: 'push', endpoint: endpoint.url('/ok') })).toMatchObject({ kind: 'unavailable', code: 'delivery.push-unavailable', detail: expect.stringMatching(/self[- ]signed/i) });
      endpoint.answer('/hang', ['hang']);
      const impatient = pushWorker({ maxAttempts: 3, timeoutMs: 50, ca: endpoint.certPem });
      expect(await impatient.send(d, message, { kind: 'push', endpoint: endpoint.url('/hang') })).toMatchObject({ kind: 'unavailable', detail: expect.stringMatching(/no answer within 50 ms/) });
      expect(await impatient.send(d, message, { kind: 'push', endpoint: 'http://localhost/plain' })).toMatchObject({ kind: 'refused', code: 'delivery.bad-endpoint' });
      expect(endpoint.received.filter((r) => r.path === '/hang').map((r) => r.headers['content-type'])).toEqual(['application/xml']);
    });
  });
}
