import { randomBytes } from 'node:crypto';
import * as amqp from 'amqplib';
import { BASELINE_SECONDS } from './baseline-db';

/**
 * Raw amqplib on the bench's vhost (`url`): publish `payload` persistent with publisher
 * confirms (at most `inFlight` unconfirmed) to a durable quorum queue while a consumer
 * (prefetch `inFlight`) acks each; `noDelay: true`. Messages per second published, confirmed,
 * consumed and acknowledged, over `seconds` of publishing and the drain after.
 */
export async function amqpMsgsPerSecond(url: string, payload: Buffer, inFlight = 256, seconds = BASELINE_SECONDS): Promise<number> {
  const pub = await amqp.connect(url, { noDelay: true });
  const sub = await amqp.connect(url, { noDelay: true });
  try {
    const queue = `bench-${randomBytes(4).toString('hex')}`;
    const pc = await pub.createConfirmChannel();
    await pc.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    const cc = await sub.createChannel();
    await cc.prefetch(inFlight);
    let consumed = 0;
    let published = 0;
    let onAll: (() => void) | undefined;
    await cc.consume(queue, (m) => {
      if (m === null) return;
      cc.ack(m);
      consumed += 1;
      if (consumed === published && onAll !== undefined) onAll();
    });
    const end = Date.now() + seconds * 1000;
    const start = process.hrtime.bigint();
    const publishOne = () => new Promise<void>((resolve, reject) => {
      pc.sendToQueue(queue, payload, { persistent: true }, (err) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()));
    });
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (Date.now() < end) {
        published += 1;
        await publishOne();
      }
    }));
    if (consumed < published) await new Promise<void>((resolve) => { onAll = resolve; });
    const rate = consumed / (Number(process.hrtime.bigint() - start) / 1e9);
    await pc.deleteQueue(queue);
    return rate;
  } finally {
    await pub.close();
    await sub.close();
  }
}
