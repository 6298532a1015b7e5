import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage, Message, MessagePropertyHeaders } from 'amqplib';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { applicationHeaders, BUS_HEADERS } from '../headers';
import { failureOutcome, type FailureOutcome } from '../outcome';
import type { Bus, BusMessage, MessageHandler, OutgoingMessage, Subscription } from '../port';
import { queueOf, resolveTopology, type BusTopology, type BusTopologyDeclaration, type ResolvedQueue } from '../topology';
import { parseAmqpUrl } from './amqp-url';
import { declareTopology } from './declare-topology';

/** Options of the RabbitMQ bus. */
export interface RabbitMqBusOptions {
  /**
   * First reconnect delay after the connection was lost (ms); it doubles up to `reconnectMaxDelayMs`, with ±20 % jitter.
   * @defaultValue 200
   */
  readonly reconnectBaseDelayMs?: number;
  /**
   * Longest reconnect delay (ms).
   * @defaultValue 10000
   */
  readonly reconnectMaxDelayMs?: number;
  /**
   * How long `publish`, `redrive` and `parkedCount` wait for a connection while the bus reconnects (ms), before failing.
   * @defaultValue 30000
   */
  readonly connectionWaitMs?: number;
  /** Where problems the bus cannot hand to anyone are reported (lost connection, a failed ack). @defaultValue console.error */
  readonly onError?: (error: unknown) => void;
}

interface SubscriptionState {
  readonly queue: ResolvedQueue;
  readonly handler: MessageHandler;
  readonly inflight: Set<Promise<void>>;
  channel: Channel | undefined;
  consumerTag: string | undefined;
  cancelled: boolean;
}

const PERSISTENT = 2;

function busHeaders(headers: MessagePropertyHeaders | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (!k.startsWith('x-') || k.startsWith('x-mmgw-')) out[k] = v;
  return out;
}

/**
 * The bus on RabbitMQ (amqplib), selected by MMGW_AMQP_URL. Declares the topology at start and
 * after every reconnect; publishes with publisher confirms (mandatory, so a topic nobody is
 * bound to is an error, not a silent drop); consumes each queue on its own channel with the
 * queue's prefetch and acknowledges only after the handler resolved. A failed message is
 * republished, confirmed, to its delayed-retry queue (attempt + 1) or to the parking queue, and
 * only then acknowledged. When the broker goes away it reconnects with back-off, re-declares
 * the topology and re-subscribes.
 */
export class RabbitMqBus implements Bus {
  readonly kind = 'rabbitmq' as const;
  private readonly url: string;
  private readonly topology: BusTopology;
  private readonly baseDelay: number;
  private readonly maxDelay: number;
  private readonly connectionWaitMs: number;
  private readonly onError: (error: unknown) => void;
  private readonly subscriptions = new Map<string, SubscriptionState>();
  /** Ids the broker returned as unroutable, until their confirm arrives. */
  private readonly returned = new Set<string>();
  private model: ChannelModel | undefined;
  private publisher: ConfirmChannel | undefined;
  private waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private abandoned = false;

  /** Checks the URL and validates the topology before anything connects. */
  constructor(url: string, declaration: BusTopologyDeclaration, options: RabbitMqBusOptions = {}) {
    this.url = parseAmqpUrl(url);
    this.topology = resolveTopology(declaration);
    this.baseDelay = options.reconnectBaseDelayMs ?? 200;
    this.maxDelay = options.reconnectMaxDelayMs ?? 10_000;
    this.connectionWaitMs = options.connectionWaitMs ?? 30_000;
    this.onError = options.onError ?? ((e) => console.error('mmgw rabbitmq bus:', e));
  }

  /** Connects and declares the topology; `bus.unreachable` if the broker cannot be reached now. */
  async start(): Promise<void> {
    this.assertOpen();
    if (this.model) return;
    await this.connect();
  }

  async publish(message: OutgoingMessage): Promise<string> {
    this.assertOpen();
    const id = message.id ?? randomUUID();
    const headers = { ...applicationHeaders(message.headers), [BUS_HEADERS.attempt]: 1, [BUS_HEADERS.topic]: message.topic };
    await this.confirmPublish(this.topology.exchange, message.topic, message.payload, id, headers, true);
    return id;
  }

  async subscribe(queue: string, handler: MessageHandler): Promise<Subscription> {
    this.assertOpen();
    const q = queueOf(this.topology, queue);
    if (this.subscriptions.has(queue)) throw new GatewayError('bus.already-subscribed', `the queue ${queue} already has a handler on this bus`, { queue });
    const sub: SubscriptionState = { queue: q, handler, inflight: new Set(), channel: undefined, consumerTag: undefined, cancelled: false };
    this.subscriptions.set(queue, sub);
    if (this.model) await this.consume(this.model, sub);
    return {
      cancel: async () => {
        sub.cancelled = true;
        await this.stopConsuming(sub);
        await Promise.all(sub.inflight);
        await sub.channel?.close().catch(() => undefined);
        this.subscriptions.delete(queue);
      },
    };
  }

  async parkedCount(queue: string): Promise<number> {
    const q = queueOf(this.topology, queue);
    const model = await this.connection();
    const ch = await model.createChannel();
    try {
      return (await ch.checkQueue(q.parkingQueue)).messageCount;
    } finally {
      await ch.close().catch(() => undefined);
    }
  }

  async redrive(queue: string, options: { limit?: number } = {}): Promise<number> {
    this.assertOpen();
    const q = queueOf(this.topology, queue);
    const model = await this.connection();
    const ch = await model.createConfirmChannel();
    let moved = 0;
    try {
      while (moved < (options.limit ?? 1000)) {
        const msg = await ch.get(q.parkingQueue, { noAck: false });
        if (msg === false) break;
        const headers = { ...busHeaders(msg.properties.headers), [BUS_HEADERS.attempt]: 1 };
        ch.sendToQueue(q.name, msg.content, { persistent: true, messageId: msg.properties.messageId as string | undefined, headers });
        await ch.waitForConfirms();
        ch.ack(msg);
        moved += 1;
      }
    } finally {
      await ch.close().catch(() => undefined);
    }
    return moved;
  }

  async close(options: { drainTimeoutMs?: number } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    for (const w of this.waiters.splice(0)) w.reject(new GatewayError('bus.closed', 'the RabbitMQ bus was closed'));
    const subs = [...this.subscriptions.values()];
    await Promise.all(subs.map((s) => this.stopConsuming(s)));
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      Promise.all(subs.flatMap((s) => [...s.inflight])).then(() => true),
      new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), options.drainTimeoutMs ?? 30_000); }),
    ]);
    clearTimeout(timer);
    // Handlers still running lose their channel with the connection: the broker requeues their messages.
    if (!drained) this.abandoned = true;
    const model = this.model;
    this.model = undefined;
    this.publisher = undefined;
    await model?.close().catch(() => undefined);
  }

  private assertOpen(): void {
    if (this.closed) throw new GatewayError('bus.closed', 'the RabbitMQ bus is closed');
  }

  private async connect(): Promise<void> {
    let model: ChannelModel;
    try {
      // noDelay: without it every publisher confirm waits ~40 ms for Nagle's algorithm.
      model = await amqp.connect(this.url, { noDelay: true, clientProperties: { connection_name: 'mmgw' } });
    } catch (e) {
      throw new GatewayError('bus.unreachable', `cannot connect to RabbitMQ (MMGW_AMQP_URL): ${e instanceof Error ? e.message : String(e)}`);
    }
    try {
      model.on('error', (e: unknown) => this.onError(e));
      model.on('close', () => this.lost(model));
      const publisher = await model.createConfirmChannel();
      publisher.on('error', (e: unknown) => this.onError(e));
      publisher.on('return', (msg: Message) => {
        if (typeof msg.properties.messageId === 'string') this.returned.add(msg.properties.messageId);
      });
      await declareTopology(publisher, this.topology);
      for (const sub of this.subscriptions.values()) if (!sub.cancelled) await this.consume(model, sub);
      if (this.closed) {
        await model.close().catch(() => undefined);
        return;
      }
      this.model = model;
      this.publisher = publisher;
      for (const w of this.waiters.splice(0)) w.resolve();
    } catch (e) {
      await model.close().catch(() => undefined);
      throw e instanceof GatewayError ? e : new GatewayError('bus.unreachable', `RabbitMQ refused the topology or a channel: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** The connection closed: unless we closed it, reconnect with back-off. */
  private lost(model: ChannelModel): void {
    if (this.model !== model) return;
    this.model = undefined;
    this.publisher = undefined;
    for (const sub of this.subscriptions.values()) {
      sub.channel = undefined;
      sub.consumerTag = undefined;
    }
    if (this.closed) return;
    this.onError(new GatewayError('bus.unreachable', 'lost the connection to RabbitMQ; reconnecting'));
    this.scheduleReconnect(1);
  }

  private scheduleReconnect(attempt: number): void {
    const delay = Math.min(this.maxDelay, this.baseDelay * 2 ** (attempt - 1)) * (0.8 + 0.4 * Math.random());
    this.reconnectTimer = setTimeout(() => {
      if (this.closed) return;
      this.connect().catch((e) => {
        this.onError(e);
        this.scheduleReconnect(attempt + 1);
      });
    }, delay);
  }

  /** The current connection, waiting for a reconnect up to connectionWaitMs. */
  private async connection(): Promise<ChannelModel> {
    this.assertOpen();
    if (this.model) return this.model;
    await new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve: () => { clearTimeout(timer); resolve(); },
        reject: (e: Error) => { clearTimeout(timer); reject(e); },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new GatewayError('bus.unreachable', `no connection to RabbitMQ within ${this.connectionWaitMs} ms`));
      }, this.connectionWaitMs);
      this.waiters.push(waiter);
    });
    if (!this.model) throw new GatewayError('bus.unreachable', 'no connection to RabbitMQ');
    return this.model;
  }

  /**
   * Publishes and resolves on the broker's confirm. A nack or a return rejects at once. A
   * channel lost before its confirm (the broker went away) publishes again once reconnected,
   * until connectionWaitMs has passed: the message may then arrive twice, never not at all
   * while the promise resolves (consumers dedupe by id).
   */
  private async confirmPublish(exchange: string, routingKey: string, content: Buffer, id: string, headers: Record<string, unknown>, mandatory: boolean): Promise<void> {
    const deadline = performance.now() + this.connectionWaitMs;
    for (;;) {
      await this.connection();
      const publisher = this.publisher;
      const outcome = publisher
        ? await this.publishOnce(publisher, exchange, routingKey, content, id, headers, mandatory)
        : { lost: 'no publishing channel' };
      if (outcome === undefined) return;
      if (outcome instanceof GatewayError) throw outcome;
      if (this.closed || performance.now() > deadline) {
        throw new GatewayError('bus.publish-failed', `RabbitMQ did not confirm message ${id}: ${outcome.lost}`, { messageId: id });
      }
      await new Promise((r) => setTimeout(r, 50)); // let the bus notice the loss before asking for the connection again
    }
  }

  /** One publish: undefined when confirmed, a GatewayError for a nack or a return, `{ lost }` when the channel died first. */
  private publishOnce(publisher: ConfirmChannel, exchange: string, routingKey: string, content: Buffer, id: string, headers: Record<string, unknown>, mandatory: boolean): Promise<GatewayError | { lost: string } | undefined> {
    return new Promise((resolve) => {
      try {
        publisher.publish(exchange, routingKey, content, { deliveryMode: PERSISTENT, mandatory, messageId: id, headers }, (err: unknown) => {
          const wasReturned = this.returned.delete(id);
          const text = err instanceof Error ? err.message : String(err);
          if (err && text === 'message nacked') resolve(new GatewayError('bus.publish-failed', `RabbitMQ refused (nacked) message ${id}`, { messageId: id }));
          else if (err) resolve({ lost: text });
          else if (wasReturned) resolve(new GatewayError('bus.unroutable', `no queue is bound to the topic ${routingKey}`, { topic: routingKey, messageId: id }));
          else resolve(undefined);
        });
      } catch (e) {
        resolve({ lost: e instanceof Error ? e.message : String(e) });
      }
    });
  }

  private async consume(model: ChannelModel, sub: SubscriptionState): Promise<void> {
    const ch = await model.createChannel();
    ch.on('error', (e: unknown) => this.onError(e));
    await ch.prefetch(sub.queue.prefetch);
    const { consumerTag } = await ch.consume(sub.queue.name, (msg) => {
      if (msg !== null) this.handle(sub, ch, msg);
    }, { noAck: false });
    sub.channel = ch;
    sub.consumerTag = consumerTag;
  }

  private async stopConsuming(sub: SubscriptionState): Promise<void> {
    if (sub.channel && sub.consumerTag) await sub.channel.cancel(sub.consumerTag).catch(() => undefined);
    sub.consumerTag = undefined;
  }

  private handle(sub: SubscriptionState, ch: Channel, msg: ConsumeMessage): void {
    const headers = msg.properties.headers ?? {};
    const attempt = Number(headers[BUS_HEADERS.attempt]) >= 1 ? Number(headers[BUS_HEADERS.attempt]) : 1;
    const lastErrorCode = headers[BUS_HEADERS.lastErrorCode];
    const message: BusMessage = {
      id: typeof msg.properties.messageId === 'string' ? msg.properties.messageId : `${sub.queue.name}:${msg.fields.deliveryTag}`,
      topic: typeof headers[BUS_HEADERS.topic] === 'string' ? headers[BUS_HEADERS.topic] : msg.fields.routingKey,
      queue: sub.queue.name,
      payload: msg.content,
      headers: applicationHeaders(headers),
      attempt,
      ...(typeof lastErrorCode === 'string' ? { lastErrorCode } : {}),
    };
    const run = (async () => {
      let outcome: FailureOutcome | 'ack';
      try {
        await sub.handler(message);
        outcome = 'ack';
      } catch (e) {
        outcome = failureOutcome(e, attempt, sub.queue.retry);
      }
      if (this.abandoned) return; // the bus gave up waiting: not acknowledged, the broker requeues it
      if (outcome !== 'ack') await this.forward(sub.queue, msg, message, outcome);
      ch.ack(msg); // throws on a closed channel: the message was not acknowledged and comes again
    })()
      .catch((e) => this.onError(e))
      .finally(() => sub.inflight.delete(run));
    sub.inflight.add(run);
  }

  /** Republishes a failed message, confirmed, to its retry queue (next attempt) or the parking queue. */
  private async forward(queue: ResolvedQueue, msg: Message, message: BusMessage, outcome: FailureOutcome): Promise<void> {
    const target = outcome.action === 'retry' ? queue.retryQueues[message.attempt - 1].name : queue.parkingQueue;
    const headers = {
      ...busHeaders(msg.properties.headers),
      [BUS_HEADERS.attempt]: outcome.action === 'retry' ? outcome.nextAttempt : message.attempt,
      [BUS_HEADERS.lastErrorCode]: outcome.code,
      [BUS_HEADERS.lastError]: outcome.message,
      [BUS_HEADERS.topic]: message.topic,
    };
    await this.confirmPublish('', target, msg.content, message.id, headers, true);
  }
}
