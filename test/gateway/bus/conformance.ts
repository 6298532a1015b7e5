import { randomBytes } from 'node:crypto';
import type { Bus, BusMessage, BusTopologyDeclaration } from '../../../gateway/bus';
import { PermanentError, TransientError } from '../../../gateway/bus';

/** What the conformance suite needs from one bus implementation. */
export interface BusHarness {
  /** Opens and starts a bus on `declaration`; every bus a test opens shares the same durable storage (broker vhost, database). */
  open(declaration: BusTopologyDeclaration): Promise<Bus>;
  /** False when the service this bus needs was unreachable outside CI (reported loudly; tests return at once). */
  available(): boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}`);
    await sleep(10);
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => undefined as void;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}

/**
 * The ONE behaviour both buses must have (style.md, "Two buses, one behaviour"; bullmq's
 * adapter conformance suite): delivery by topic, retries with growing delays, parking, redrive,
 * acknowledgement only after the handler resolved, bounded prefetch, and nothing confirmed lost
 * across a restart.
 */
export function busConformance(harness: BusHarness): void {
  let opened: Bus[] = [];
  let ns = '';
  // Short delays keep the suite fast: 100 ms, then 300 ms; three attempts.
  const retry = { maxAttempts: 3, baseDelayMs: 100, factor: 3, maxDelayMs: 1000 };
  const decl = (queues: BusTopologyDeclaration['queues'], extra: Partial<BusTopologyDeclaration> = {}): BusTopologyDeclaration =>
    ({ exchange: `${ns}.x`, retry, prefetch: 4, queues: Object.fromEntries(Object.entries(queues).map(([k, v]) => [`${ns}.${k}`, v])), ...extra });
  const q = (name: string) => `${ns}.${name}`;
  const open = async (declaration: BusTopologyDeclaration) => {
    const bus = await harness.open(declaration);
    opened.push(bus);
    return bus;
  };

  beforeEach(() => {
    ns = `t${randomBytes(4).toString('hex')}`;
  });
  afterEach(async () => {
    await Promise.all(opened.map((b) => b.close({ drainTimeoutMs: 100 })));
    opened = [];
  });

  it('delivers a published message to every queue bound to its topic, and refuses a topic nobody is bound to', async () => {
    if (!harness.available()) return;
    const bus = await open(decl({ a: { bindings: ['notice.*'] }, b: { bindings: ['other', 'notice.#'] }, c: { bindings: ['nothing.here'] } }));
    const got: Record<string, BusMessage[]> = { a: [], b: [], c: [] };
    for (const name of ['a', 'b', 'c']) await bus.subscribe(q(name), async (m) => { got[name].push(m); });
    const id = await bus.publish({ topic: 'notice.sample', payload: Buffer.from([0, 1, 2, 255]), id: 'msg-1', headers: { form: 'SampleReport' } });
    expect(id).toBe('msg-1');
    await eventually(() => got.a.length === 1 && got.b.length === 1, 'delivery to a and b');
    await sleep(150);
    expect(got.c).toHaveLength(0);
    for (const m of [got.a[0], got.b[0]]) {
      expect(m).toMatchObject({ id: 'msg-1', topic: 'notice.sample', attempt: 1, headers: { form: 'SampleReport' } });
      expect(m.lastErrorCode).toBeUndefined();
      expect([...m.payload]).toEqual([0, 1, 2, 255]);
    }
    expect(got.a[0].queue).toBe(q('a'));
    expect(got.a).toHaveLength(1);
    await expect(bus.publish({ topic: 'unbound.topic', payload: Buffer.from('x') })).rejects.toMatchObject({ code: 'bus.unroutable' });
    await expect(bus.subscribe(`${ns}.nope`, async () => undefined)).rejects.toMatchObject({ code: 'bus.unknown-queue' });
  });

  it('retries a transient failure with a growing delay, the attempt and last error code in its headers, then succeeds', async () => {
    if (!harness.available()) return;
    const bus = await open(decl({ work: { bindings: ['work'] } }));
    const seen: { attempt: number; code?: string; at: number }[] = [];
    await bus.subscribe(q('work'), async (m) => {
      seen.push({ attempt: m.attempt, code: m.lastErrorCode, at: performance.now() });
      if (m.attempt < 3) throw new TransientError('database busy', { code: 'store.unreachable' });
    });
    await bus.publish({ topic: 'work', payload: Buffer.from('job') });
    await eventually(() => seen.length === 3, 'three attempts');
    expect(seen.map((s) => [s.attempt, s.code])).toEqual([[1, undefined], [2, 'store.unreachable'], [3, 'store.unreachable']]);
    const first = seen[1].at - seen[0].at;
    const second = seen[2].at - seen[1].at;
    expect(first).toBeGreaterThanOrEqual(90); // 100 ms
    expect(second).toBeGreaterThanOrEqual(270); // 300 ms
    expect(second).toBeGreaterThan(first);
    await sleep(200);
    expect(seen).toHaveLength(3);
    expect(await bus.parkedCount(q('work'))).toBe(0);
  });

  it('parks a message after its last attempt (any error that is not permanent counts as transient)', async () => {
    if (!harness.available()) return;
    const bus = await open(decl({ work: { bindings: ['work'] } }));
    const attempts: number[] = [];
    await bus.subscribe(q('work'), async (m) => {
      attempts.push(m.attempt);
      throw new Error('boom');
    });
    await bus.publish({ topic: 'work', payload: Buffer.from('job') });
    await eventually(async () => (await bus.parkedCount(q('work'))) === 1, 'parked');
    await sleep(500);
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('parks a permanent failure at once, and redrives it as a first attempt carrying the last error code', async () => {
    if (!harness.available()) return;
    const bus = await open(decl({ work: { bindings: ['work'] } }));
    const seen: BusMessage[] = [];
    let refuse = true;
    await bus.subscribe(q('work'), async (m) => {
      seen.push(m);
      if (refuse) throw new PermanentError('no such recipient', { code: 'bus.unroutable' });
    });
    await bus.publish({ topic: 'work', payload: Buffer.from('job'), id: 'job-1', headers: { k: 'v' } });
    await eventually(async () => (await bus.parkedCount(q('work'))) === 1, 'parked');
    await sleep(300);
    expect(seen).toHaveLength(1);

    refuse = false;
    expect(await bus.redrive(q('work'))).toBe(1);
    await eventually(() => seen.length === 2, 'redriven delivery');
    expect(seen[1]).toMatchObject({ id: 'job-1', attempt: 1, lastErrorCode: 'bus.unroutable', headers: { k: 'v' } });
    expect(seen[1].payload.toString()).toBe('job');
    await eventually(async () => (await bus.parkedCount(q('work'))) === 0, 'parking empty');
    expect(await bus.redrive(q('work'))).toBe(0);
  });

  it('acknowledges only after the handler resolved: with prefetch 1 the next message waits', async () => {
    if (!harness.available()) return;
    const bus = await open(decl({ work: { bindings: ['work'], prefetch: 1 } }));
    const gate = deferred();
    const seen: string[] = [];
    await bus.subscribe(q('work'), async (m) => {
      seen.push(m.id);
      if (m.id === 'first') await gate.promise;
    });
    await bus.publish({ topic: 'work', payload: Buffer.from('1'), id: 'first' });
    await bus.publish({ topic: 'work', payload: Buffer.from('2'), id: 'second' });
    await eventually(() => seen.length === 1, 'first in its handler');
    await sleep(300);
    expect(seen).toEqual(['first']);
    gate.resolve();
    await eventually(() => seen.length === 2, 'second after the first was acknowledged');
    expect(seen).toEqual(['first', 'second']);
  });

  it('does not acknowledge a message whose handler had not resolved when the bus closed: it comes again', async () => {
    if (!harness.available()) return;
    const declaration = decl({ work: { bindings: ['work'] } });
    const first = await open(declaration);
    const stuck = deferred();
    let started = false;
    await first.subscribe(q('work'), async () => {
      started = true;
      await stuck.promise;
    });
    await first.publish({ topic: 'work', payload: Buffer.from('job'), id: 'job-stuck' });
    await eventually(() => started, 'handler started');
    await first.close({ drainTimeoutMs: 50 });
    stuck.resolve(); // resolving after the close must not acknowledge it any more

    const second = await open(declaration);
    const seen: BusMessage[] = [];
    await second.subscribe(q('work'), async (m) => { seen.push(m); });
    await eventually(() => seen.length >= 1, 'redelivery after reopening');
    expect(seen[0].id).toBe('job-stuck');
  });

  it('keeps at most prefetch messages in handlers at once', async () => {
    if (!harness.available()) return;
    const bus = await open(decl({ work: { bindings: ['work'], prefetch: 3 } }));
    const gate = deferred();
    let inflight = 0;
    let most = 0;
    let done = 0;
    await bus.subscribe(q('work'), async () => {
      inflight += 1;
      most = Math.max(most, inflight);
      await gate.promise;
      inflight -= 1;
      done += 1;
    });
    for (let i = 0; i < 10; i += 1) await bus.publish({ topic: 'work', payload: Buffer.from(String(i)) });
    await eventually(() => inflight === 3, 'three in flight');
    await sleep(200);
    expect(most).toBe(3);
    gate.resolve();
    await eventually(() => done === 10, 'all ten done');
    expect(most).toBe(3);
  });

  it('hands each message to a handler once when no handler fails, while handlers finish during the bus\'s own passes', async () => {
    if (!harness.available()) return;
    // Handlers of two queues finish at staggered moments, some acknowledged and some retried once,
    // so acknowledgements and reschedules commit while the bus is reading due rows. A row read
    // before its acknowledgement committed must not be handed out again (seen on MariaDB:
    // a retried push counted one attempt too many).
    const bus = await open(decl({ a: { bindings: ['w.#'], prefetch: 16 }, b: { bindings: ['w.#'], prefetch: 16 } }));
    const handled = new Map<string, number>();
    for (const name of ['a', 'b']) {
      await bus.subscribe(q(name), async (m) => {
        const key = `${name} ${m.id} ${m.attempt}`;
        handled.set(key, (handled.get(key) ?? 0) + 1);
        await sleep(Number(m.payload.toString()) % 7);
        if (m.attempt === 1 && m.id.endsWith('3')) throw new TransientError('once more', { code: 'store.unreachable' });
      });
    }
    const ids: string[] = [];
    for (let i = 0; i < 300; i += 1) ids.push(await bus.publish({ topic: 'w.item', payload: Buffer.from(String(i)), id: `w-${i}` }));
    const expected = ids.length * 2 + ids.filter((id) => id.endsWith('3')).length * 2;
    await eventually(() => [...handled.values()].reduce((a, b) => a + b, 0) >= expected, 'every message handled', 30_000);
    await sleep(300);
    const twice = [...handled].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`);
    expect(twice).toEqual([]);
    expect(handled.size).toBe(expected);
  }, 60_000); // 600 handlings with retries: seconds on a loaded machine (not a speed check)

  it('loses nothing published and confirmed when the bus is closed and reopened', async () => {
    if (!harness.available()) return;
    const declaration = decl({ work: { bindings: ['work.*'] } });
    const first = await open(declaration);
    const ids: string[] = [];
    for (let i = 0; i < 25; i += 1) ids.push(await first.publish({ topic: 'work.item', payload: Buffer.from(`item ${i}`), id: `item-${i}` }));
    await first.close();

    const second = await open(declaration);
    const seen = new Set<string>();
    await second.subscribe(q('work'), async (m) => { seen.add(m.id); });
    await eventually(() => seen.size === 25, 'all 25 after the restart');
    expect([...seen].sort()).toEqual([...ids].sort());
  });
}
