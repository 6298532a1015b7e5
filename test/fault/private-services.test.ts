import * as amqp from 'amqplib';
import { createConnection } from 'mysql2/promise';
import { privateServicesOrSkip, startPrivateMariaDb, startPrivateRabbitMq, type PrivateMariaDb, type PrivateRabbitMq } from '../support/private-services';

// The harness of the fault tests: a private RabbitMQ node and MariaDB instance that survive being
// stopped / SIGKILLed and started again on the same data (a durable queue's persistent message
// and a committed row are still there afterwards).
describe('private services for the fault tests', () => {
  const live = privateServicesOrSkip(__filename);
  let rabbit: PrivateRabbitMq | undefined;
  let maria: PrivateMariaDb | undefined;
  afterAll(async () => {
    await rabbit?.dispose();
    await maria?.dispose();
  }, 120_000);

  it('RabbitMQ: a persistent message in a durable queue survives a stop and a start', async () => {
    if (!live) return;
    rabbit = await startPrivateRabbitMq();
    const conn = await amqp.connect(rabbit.url);
    const ch = await conn.createConfirmChannel();
    await ch.assertQueue('smoke', { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    ch.sendToQueue('smoke', Buffer.from('kept'), { persistent: true });
    await ch.waitForConfirms();
    await conn.close();
    await rabbit.stop();
    await expect(amqp.connect(rabbit.url)).rejects.toThrow();
    await rabbit.start();
    const again = await amqp.connect(rabbit.url);
    const ch2 = await again.createChannel();
    const got = await ch2.get('smoke', { noAck: true });
    expect(got && got.content.toString()).toBe('kept');
    await again.close();
  }, 180_000);

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
