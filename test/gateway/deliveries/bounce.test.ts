import { bounceDelivery, deliveryRef, routeAcceptedMessage } from '../../../gateway/deliveries';
import { openDelivery } from '../../../gateway/deliveries/open-delivery';
import { AuditEntryEntity, DeliveryEntity, transaction } from '../../../gateway/store';
import { accept, closeWorld, deliveriesOf, freshCode, openWorld, register, sqliteUrls, type World } from './world';

/** bounceDelivery: what a delivery status notification does to an e-mail delivery. */
describe('bounceDelivery (a DSN for a delivery mail)', () => {
  const urls = sqliteUrls();
  let w: World;
  beforeAll(async () => { w = await openWorld(urls()!); });
  afterAll(() => closeWorld(w));

  async function routed(channels: Parameters<typeof register>[2]): Promise<{ messageId: string; recipient: string }> {
    const recipient = freshCode('op');
    await register(w, recipient, channels);
    const msg = await accept(w, { from: 'cncert', to: [recipient] });
    await routeAcceptedMessage(w.ds, { id: `accepted:${msg.id}`, topic: 'message.accepted.IncidentNotice', queue: 'deliveries.routing', headers: {}, payload: Buffer.from(JSON.stringify({ messageId: msg.id })), attempt: 1 }, w.ctx);
    return { messageId: msg.id, recipient };
  }

  it('a sent e-mail delivery falls back to the next channel with delivery.email-bounced', async () => {
    const { messageId } = await routed([{ kind: 'email', endpoint: 'duty@op.example' }, { kind: 'mailbox' }]);
    const [d] = await deliveriesOf(w, messageId);
    await w.ds.getRepository(DeliveryEntity).update({ id: d!.id }, { status: 'sent', sentAt: w.clock.now() });
    const out = await bounceDelivery(w.ds, deliveryRef(d!.id), 'duty@op.example: 5.1.1 user unknown', w.ctx);
    expect(out).toMatchObject({ outcome: 'fell-back', deliveryId: deliveryRef(d!.id), next: { channel: 'mailbox' } });
    expect((await deliveriesOf(w, messageId)).map((r) => [r.channel, r.status, r.lastErrorCode])).toEqual([['email', 'fell-back', 'delivery.email-bounced'], ['mailbox', 'queued', null]]);
    // A repeated bounce changes nothing.
    expect(await bounceDelivery(w.ds, deliveryRef(d!.id), 'again', w.ctx)).toEqual({ outcome: 'ignored', deliveryId: deliveryRef(d!.id), status: 'fell-back' });
    expect(await deliveriesOf(w, messageId)).toHaveLength(2);
  });

  it('an e-mail sent beside an open primary (deadline-aware fall-back) only fails; the primary goes on', async () => {
    const { messageId, recipient } = await routed([{ kind: 'mailbox' }, { kind: 'email', endpoint: 'duty@op.example' }]);
    const { row } = await transaction(w.ds, (m) => openDelivery(m, { messageId, recipientCode: recipient, role: 'to', channel: 'email' }, w.clock.now()));
    const out = await bounceDelivery(w.ds, deliveryRef(row.id), 'refused', w.ctx);
    expect(out).toEqual({ outcome: 'failed', deliveryId: deliveryRef(row.id) });
    expect((await deliveriesOf(w, messageId)).map((r) => [r.channel, r.status])).toEqual([['mailbox', 'queued'], ['email', 'failed']]);
    const audit = await w.ds.getRepository(AuditEntryEntity).find({ where: { subject: messageId, kind: 'delivery' } });
    expect(audit.map((a) => a.details).join('\n')).toContain('"event":"bounced"');
  });

  it('leaves acknowledged, non-e-mail and unknown deliveries alone', async () => {
    const { messageId } = await routed([{ kind: 'email', endpoint: 'duty@op.example' }, { kind: 'mailbox' }]);
    const [d] = await deliveriesOf(w, messageId);
    await w.ds.getRepository(DeliveryEntity).update({ id: d!.id }, { status: 'acknowledged', acknowledgedAt: w.clock.now() });
    expect(await bounceDelivery(w.ds, deliveryRef(d!.id), 'late', w.ctx)).toMatchObject({ outcome: 'ignored', status: 'acknowledged' });
    const mailbox = await routed([{ kind: 'mailbox' }]);
    const [m] = await deliveriesOf(w, mailbox.messageId);
    expect(await bounceDelivery(w.ds, deliveryRef(m!.id), 'x', w.ctx)).toMatchObject({ outcome: 'ignored', status: 'queued' });
    expect(await bounceDelivery(w.ds, 'dlv-99999999', 'x', w.ctx)).toEqual({ outcome: 'ignored', deliveryId: 'dlv-99999999', status: 'unknown' });
  });
});
