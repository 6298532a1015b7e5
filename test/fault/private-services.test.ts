import * as amqp from 'amqplib';
import { createConnection } from 'mysql2/promise';
import { privateServicesOrSkip, startPrivateMariaDb, startPrivateRabbitMq, type PrivateMariaDb, type PrivateRabbitMq } from '../support/private-services';

// The harness of the fault tests: a private RabbitMQ node and MariaDB instance that survive being
// stopped / SIGKILLed (both) and started again on the same data (a durable queue's persistent message
// and a committed row are still there afterwards).
/** One message of `queue` (text), retried until the restarted quorum queue has its leader again (deadline 60 s). */
async function getOne(url: string, queue: string): Promise<string | undefined> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const conn = await amqp.connect(url);
    conn.on('error', () => undefined);
    try {
      const ch = await conn.createChannel();
      const got = await ch.get(queue, { noAck: true });
      await conn.close();
      return got === false ? undefined : got.content.toString();
    } catch (e) {
      await conn.close().catch(() => undefined);
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

describe('private services for the fault tests', () => {
  const live = privateServicesOrSkip(__filename);
  let rabbit: PrivateRabbitMq | undefined;
  let maria: PrivateMariaDb | undefined;
  afterAll(async () => {
    await rabbit?.dispose();
    await maria?.dispose();
  }, 120_000);

  it('RabbitMQ: a persistent message survives a stop and a start, a confirmed one SIGKILL of the node and a start', async () => {
    if (!live) return;
    rabbit = await startPrivateRabbitMq();
    const conn = await amqp.connect(rabbit.url);
    const ch = await conn.createConfirmChannel();
    // Both quorum queues are declared before the clean stop, which persists them: RabbitMQ 3.10 loses a
    // quorum queue SIGKILLed within seconds of its declaration (after the restart no leader is ever elected).
    for (const q of ['smoke', 'smoke-kill']) await ch.assertQueue(q, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    ch.sendToQueue('smoke', Buffer.from('kept'), { persistent: true });
    await ch.waitForConfirms();
    await conn.close();
    await rabbit.stop();
    await expect(amqp.connect(rabbit.url)).rejects.toThrow();
    await rabbit.start();
    expect(await getOne(rabbit.url, 'smoke')).toBe('kept');

    const again = await amqp.connect(rabbit.url);
    again.on('error', () => undefined);
    const closed = new Promise((resolve) => again.once('close', resolve));
    const ch2 = await again.createConfirmChannel();
    ch2.sendToQueue('smoke-kill', Buffer.from('kept after SIGKILL'), { persistent: true });
    await ch2.waitForConfirms();
    await rabbit.kill();
    await closed; // the broker's socket went away with it
    await expect(amqp.connect(rabbit.url)).rejects.toThrow();
    await rabbit.start();
    expect(await getOne(rabbit.url, 'smoke-kill')).toBe('kept after SIGKILL');
  }, 240_000);

  it('MariaDB: a committed row survives SIGKILL and a restart on the same data directory', async () => {
    if (!live) return;
    maria = await startPrivateMariaDb();
    const url = new URL(maria.url);
    const open = () => createConnection({ host: url.hostname, port: Number(url.port), user: 'root', password: '', database: url.pathname.slice(1) });
    const c = await open();
    await c.query('CREATE TABLE t (id INT PRIMARY KEY) ENGINE=InnoDB');
    await c.query('INSERT INTO t VALUES (42)');
    await maria.kill();
    await expect(c.query('SELECT 1')).rejects.toThrow();
    c.destroy();
    await maria.start();
    const d = await open();
    const [rows] = await d.query('SELECT id FROM t');
    expect(rows).toEqual([{ id: 42 }]);
    await d.end();
  }, 180_000);
});
