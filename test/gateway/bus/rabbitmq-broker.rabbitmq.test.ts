import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import { RabbitMqBus, type BusMessage, type BusTopologyDeclaration } from '../../../gateway/bus';
import { useRabbitMq } from '../../support/services';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A TCP relay in front of the broker that can be taken down and brought back on the same port:
 * to the bus it looks like RabbitMQ stopping (connections cut, new ones refused) and restarting,
 * without disturbing the machine's broker that other tests share.
 */
class FlakyBroker {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;
  constructor(private readonly target: URL) {}
  async up(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(Number(this.target.port || 5672), this.target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => { this.sockets.delete(s); client.destroy(); upstream.destroy(); });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server?.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }
  async down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}`);
    await sleep(20);
  }
}

// What only the RabbitMQ bus has: the broker's own topology, reconnects, confirms without
// Nagle delays, the quorum delivery limit. Needs the vhost made by useRabbitMq (rabbitmqctl).
describe('RabbitMQ bus on the broker', () => {
  const rabbit = useRabbitMq(__filename);
  const buses: RabbitMqBus[] = [];
  let ns = '';
  const decl = (extra: Partial<BusTopologyDeclaration> = {}): BusTopologyDeclaration => ({
    exchange: `${ns}.x`, retry: { maxAttempts: 3, baseDelayMs: 100, factor: 3, maxDelayMs: 1000 }, queues: { [`${ns}.work`]: { bindings: ['work.#'] } }, ...extra,
  });
  const open = async (declaration: BusTopologyDeclaration, errors: unknown[] = []) => {
    const bus = new RabbitMqBus(rabbit.url, declaration, { onError: (e) => errors.push(e), reconnectBaseDelayMs: 100 });
    buses.push(bus);
    await bus.start();
    return bus;
  };
  beforeEach(() => {
    ns = `t${randomBytes(4).toString('hex')}`;
  });
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((b) => b.close({ drainTimeoutMs: 100 })));
  });

  it('declares the work, delayed-retry and parking queues as quorum queues', async () => {
    if (!rabbit.withRabbitmqctl()) return;
    await open(decl());
    const listed = execFileSync('rabbitmqctl', ['-q', '--no-table-headers', 'list_queues', '-p', rabbit.vhost, 'name', 'type', 'arguments'], { encoding: 'utf8' });
    const mine = listed.split('\n').filter((l) => l.startsWith(`${ns}.`)).map((l) => l.split('\t').slice(0, 2)).sort();
    expect(mine).toEqual([[`${ns}.work`, 'quorum'], [`${ns}.work.parked`, 'quorum'], [`${ns}.work.retry.100ms`, 'quorum'], [`${ns}.work.retry.300ms`, 'quorum']]);
    expect(listed).toMatch(/x-message-ttl.{0,10}300/);
    expect(listed).toMatch(/x-delivery-limit/);
  });

  it('reconnects after the broker dropped its connection: re-declares, re-subscribes, and publish waits for it', async () => {
    if (!rabbit.withRabbitmqctl()) return;
    const errors: unknown[] = [];
    const bus = await open(decl(), errors);
    const seen: string[] = [];
    await bus.subscribe(`${ns}.work`, async (m) => { seen.push(m.id); });
    await bus.publish({ topic: 'work.a', payload: Buffer.from('1'), id: 'before' });
    await eventually(() => seen.includes('before'), 'delivery before the drop');
    execFileSync('rabbitmqctl', ['-q', 'close_all_connections', '--vhost', rabbit.vhost, 'mmgw test: simulated broker failure'], { stdio: 'ignore' });
    await eventually(() => errors.some((e) => (e as { code?: string }).code === 'bus.unreachable'), 'the loss noticed');
    await bus.publish({ topic: 'work.b', payload: Buffer.from('2'), id: 'after' });
    await eventually(() => seen.includes('after'), 'delivery after the reconnect');
  }, 20_000);

  it('survives the broker going away for a while: retries with back-off, then re-declares, re-subscribes and publishes what waited', async () => {
    if (!rabbit.available) return;
    const broker = new FlakyBroker(new URL(rabbit.url));
    await broker.up();
    try {
      const url = new URL(rabbit.url);
      url.port = String(broker.port);
      const errors: unknown[] = [];
      const bus = new RabbitMqBus(url.toString(), decl(), { onError: (e) => errors.push(e), reconnectBaseDelayMs: 100, reconnectMaxDelayMs: 400 });
      buses.push(bus);
      await bus.start();
      const seen: string[] = [];
      await bus.subscribe(`${ns}.work`, async (m) => { seen.push(m.id); });
      await bus.publish({ topic: 'work.a', payload: Buffer.from('1'), id: 'before' });
      await eventually(() => seen.includes('before'), 'delivery before the outage');

      await broker.down();
      // Published at the instant the broker goes: it waits for the broker to come back.
      const waiting = bus.publish({ topic: 'work.b', payload: Buffer.from('2'), id: 'during' });
      await sleep(1200); // several reconnect attempts are refused meanwhile
      const refused = errors.filter((e) => /cannot connect to RabbitMQ/.test(String((e as Error).message))).length;
      expect(refused).toBeGreaterThanOrEqual(2);
      await broker.up();
      await expect(waiting).resolves.toBe('during');
      await eventually(() => seen.includes('during'), 'delivery after the broker came back');
      await bus.close();
    } finally {
      await broker.down();
    }
  }, 20_000);

  it('connects with TCP_NODELAY (noDelay), so a publisher confirm does not wait ~40 ms for Nagle', async () => {
    if (!rabbit.available) return;
    // Checked on the socket, not by timing publishes (speed is for npm run bench): amqplib sets
    // the option with setNoDelay(noDelay) on the socket it opens; without noDelay: true it is false.
    const spy = jest.spyOn(net.Socket.prototype, 'setNoDelay');
    try {
      const bus = await open(decl());
      await bus.publish({ topic: 'work.t', payload: Buffer.alloc(2048, 1) });
      expect(spy.mock.calls.map(([on]) => on)).toEqual([true]);
    } finally {
      spy.mockRestore();
    }
  });

  it('parks a message whose consumer died with it too often (quorum delivery limit)', async () => {
    if (!rabbit.available) return;
    const declaration = decl({ deliveryLimit: 1 });
    for (let round = 0; round < 2; round += 1) {
      const bus = await open(declaration);
      if (round === 0) await bus.publish({ topic: 'work.poison', payload: Buffer.from('kills its consumer'), id: 'poison' });
      let started = false;
      await bus.subscribe(`${ns}.work`, async () => {
        started = true;
        await new Promise(() => undefined); // never resolves, like a consumer that crashed
      });
      await eventually(() => started, `delivery ${round + 1}`);
      await bus.close({ drainTimeoutMs: 0 });
    }
    const observer = await open(declaration);
    await eventually(async () => (await observer.parkedCount(`${ns}.work`)) === 1, 'dead-lettered to the parking queue');
    const seen: BusMessage[] = [];
    await observer.subscribe(`${ns}.work`, async (m) => { seen.push(m); });
    expect(await observer.redrive(`${ns}.work`)).toBe(1);
    await eventually(() => seen.length === 1, 'redriven');
    expect(seen[0]).toMatchObject({ id: 'poison', attempt: 1, topic: 'work.poison' });
  });

  it('checks its URL and its topology before connecting', () => {
    expect(() => new RabbitMqBus('http://127.0.0.1:5672', decl())).toThrow(expect.objectContaining({ code: 'bus.bad-amqp-url', message: expect.stringMatching(/^MMGW_AMQP_URL has the unsupported scheme "http:"/) }));
    expect(() => new RabbitMqBus('amqp://127.0.0.1:1', { exchange: 'x', queues: {} })).toThrow(expect.objectContaining({ code: 'bus.invalid-topology' }));
  });

  it('says bus.unreachable when the broker cannot be reached at start', async () => {
    const bus = new RabbitMqBus('amqp://guest:guest@127.0.0.1:1', decl());
    await expect(bus.start()).rejects.toMatchObject({ code: 'bus.unreachable' });
    await bus.close();
  });
});
