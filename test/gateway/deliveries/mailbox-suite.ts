import { DELIVERY_QUEUES, listMailbox, routeAcceptedMessage, startRoutingWorker } from '../../../gateway/deliveries';
import type { BusMessage } from '../../../gateway/bus';
import { accept, closeWorld, deliveriesOf, eventually, freshCode, openWorldIf, liveIt, type Accepted, type UrlSource, type World } from './world';

const job = (messageId: string): BusMessage => ({
  id: `accepted:${messageId}`, topic: 'message.accepted.IncidentNotice', queue: DELIVERY_QUEUES.routing, payload: Buffer.from(JSON.stringify({ messageId })), headers: {}, attempt: 1,
});

/** The mailbox: oldest first, a stable cursor, a limit, `sent` on first fetch, long-poll wake-up. */
export function mailboxSuite(urls: UrlSource): void {
  describe('mailbox', () => {
    const it = liveIt(() => w !== undefined);
    let w: World;
    beforeAll(async () => { w = (await openWorldIf(urls))!; });
    afterAll(() => closeWorld(w));

    async function deliverTo(recipient: string, n: number): Promise<Accepted[]> {
      const out: Accepted[] = [];
      for (let i = 0; i < n; i += 1) {
        const msg = await accept(w, { from: 'cncert', to: [recipient], format: i % 2 === 0 ? 'json' : 'xml' });
        await routeAcceptedMessage(w.ds, job(msg.id), w.ctx);
        out.push(msg);
        w.clock.advance(1000);
      }
      return out;
    }

    it('pages oldest first with a stable cursor and a limit, with the exact bytes, and marks a delivery sent when first fetched', async () => {
      const me = freshCode();
      const other = freshCode();
      const sent = await deliverTo(me, 5);
      await deliverTo(other, 1);
      const firstFetch = w.clock.now();
      const p1 = await listMailbox(w.ds, me, { limit: 2 }, w.ctx);
      expect(p1.items.map((i) => i.messageId)).toEqual([sent[0]!.id, sent[1]!.id]);
      expect(p1.items.map((i) => [i.bytes.equals(sent[p1.items.indexOf(i)]!.bytes), i.hash, i.status, i.format, i.from])).toEqual([
        [true, sent[0]!.hash, 'sent', 'json', 'cncert'], [true, sent[1]!.hash, 'sent', 'xml', 'cncert'],
      ]);
      w.clock.advance(60_000);
      const p2 = await listMailbox(w.ds, me, { after: p1.cursor, limit: 2 }, w.ctx);
      const p3 = await listMailbox(w.ds, me, { after: p2.cursor, limit: 2 }, w.ctx);
      const p4 = await listMailbox(w.ds, me, { after: p3.cursor, limit: 2 }, w.ctx);
      expect([p2, p3].flatMap((p) => p.items.map((i) => i.messageId))).toEqual(sent.slice(2).map((s) => s.id));
      expect(p4).toEqual({ items: [], cursor: p3.cursor });
      // The cursor is stable: reading again from the start gives the same page; sentAt stays the first fetch.
      const again = await listMailbox(w.ds, me, { limit: 2 }, w.ctx);
      expect(again.items.map((i) => i.deliveryId)).toEqual(p1.items.map((i) => i.deliveryId));
      expect(again.cursor).toBe(p1.cursor);
      const first = (await deliveriesOf(w, sent[0]!.id))[0]!;
      expect([first.status, first.sentAt?.toISOString(), first.statusSince.toISOString()]).toEqual(['sent', firstFetch.toISOString(), firstFetch.toISOString()]);
      const third = (await deliveriesOf(w, sent[2]!.id))[0]!;
      expect(third.sentAt?.getTime()).toBe(firstFetch.getTime() + 60_000);
      // Nobody else's deliveries, and the other recipient's stay queued.
      expect(p1.items.concat(p2.items, p3.items).every((i) => sent.some((s) => s.id === i.messageId))).toBe(true);
    });

    it('skips no delivery whose transaction committed after the cursor had passed its id (ids are taken at insert, not at commit)', async () => {
      const me = freshCode();
      // Two routing batches in flight: the one holding the later ids commits first. Ids set by
      // hand, far above the ones other tests take, so both dialects see the same order.
      const idOf = async (msg: Accepted) => (await deliveriesOf(w, msg.id))[0]!.id;
      const moveTo = (from: number, to: number) => w.ds.query('UPDATE deliveries SET id = ? WHERE id = ?', [to, from]);
      const [first] = await deliverTo(me, 1);
      const p1 = await listMailbox(w.ds, me, {}, w.ctx);
      expect(p1.items.map((i) => i.messageId)).toEqual([first!.id]);
      const [later] = await deliverTo(me, 1);
      const base = (await idOf(later!)) + 1_000_000;
      await moveTo(await idOf(later!), base);
      const p2 = await listMailbox(w.ds, me, { after: p1.cursor }, w.ctx);
      expect([p2.items.map((i) => i.messageId), p2.cursor]).toEqual([[later!.id], String(base)]);
      // The earlier batch commits now, with an id below the cursor.
      const [late] = await deliverTo(me, 1);
      await moveTo(await idOf(late!), base - 500_000);
      const p3 = await listMailbox(w.ds, me, { after: p2.cursor }, w.ctx);
      expect([p3.items.map((i) => [i.messageId, i.status]), p3.cursor]).toEqual([[[late!.id, 'sent']], String(base)]);
      // Fetched once: it is not listed again from that cursor, and a long poll waits for something new.
      expect(await listMailbox(w.ds, me, { after: p3.cursor }, w.ctx)).toEqual({ items: [], cursor: String(base) });
      // Reading from the start still gives every delivery once, in id order.
      expect((await listMailbox(w.ds, me, {}, w.ctx)).items.map((i) => i.messageId)).toEqual([first!.id, late!.id, later!.id]);
    });

    it('refuses a bad cursor, limit or wait with its code', async () => {
      await expect(listMailbox(w.ds, 'op-x', { after: 'abc' }, w.ctx)).rejects.toMatchObject({ code: 'delivery.bad-cursor' });
      await expect(listMailbox(w.ds, 'op-x', { limit: 0 }, w.ctx)).rejects.toMatchObject({ code: 'delivery.bad-limit' });
      await expect(listMailbox(w.ds, 'op-x', { limit: 1001 }, w.ctx)).rejects.toMatchObject({ code: 'delivery.bad-limit' });
      await expect(listMailbox(w.ds, 'op-x', { waitMs: -1 }, w.ctx)).rejects.toMatchObject({ code: 'delivery.bad-wait' });
    });

    it('long-poll: an empty mailbox read waits and wakes as soon as a delivery is routed to it', async () => {
      const me = freshCode();
      const sub = await startRoutingWorker(w.bus, w.ds, w.ctx);
      await w.bus.start();
      try {
        const started = Date.now();
        const reading = listMailbox(w.ds, me, { waitMs: 10_000 }, w.ctx);
        await eventually(async () => (w.ctx.notifier.waiting === 1 ? true : undefined), 'the reader to wait');
        const msg = await accept(w, { from: 'cncert', to: [me] });
        const page = await reading;
        expect(page.items.map((i) => i.messageId)).toEqual([msg.id]);
        expect(Date.now() - started).toBeLessThan(5000);
        expect(w.ctx.notifier.waiting).toBe(0);
      } finally {
        await sub.cancel();
      }
    });

    it('long-poll: an abort ends the wait at once with an empty page, releasing the waiter', async () => {
      const controller = new AbortController();
      const started = Date.now();
      const reading = listMailbox(w.ds, freshCode(), { waitMs: 60_000, after: '3', signal: controller.signal }, w.ctx);
      await eventually(async () => (w.ctx.notifier.waiting === 1 ? true : undefined), 'the reader to wait');
      controller.abort();
      expect(await reading).toEqual({ items: [], cursor: '3' });
      expect(Date.now() - started).toBeLessThan(5000);
      expect(w.ctx.notifier.waiting).toBe(0);
    });

    it('long-poll: with nothing arriving, answers an empty page after the wait', async () => {
      const started = Date.now();
      const page = await listMailbox(w.ds, freshCode(), { waitMs: 20, after: '7' }, w.ctx);
      expect(page).toEqual({ items: [], cursor: '7' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(19);
      expect(w.ctx.notifier.waiting).toBe(0);
    });
  });
}
