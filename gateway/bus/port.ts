/**
 * The bus port: how the gateway moves work between its stages (intake → routing → delivery
 * workers), whatever carries it.
 *
 * Why a port: the gateway runs at two scales (architecture.md, idea 5). On one machine the
 * embedded bus keeps queues in the database's outbox table; in production RabbitMQ carries them
 * across processes. Both implement this interface and pass one conformance suite
 * (test/gateway/bus/conformance.ts), so a stage written against the port behaves the same on
 * either.
 *
 * The contract, at least once:
 * - `publish` resolves only once the message is durable (a RabbitMQ publisher confirm, or the
 *   committed outbox row); a rejected promise means it may not have been published.
 * - A handler's promise decides the outcome. Resolved: the message is acknowledged, so the
 *   handler must have committed its own transaction before resolving. `TransientError` (or any
 *   other error): retried after a growing delay (the queue's retry policy), with the attempt
 *   number and the last error code in its headers; after the last attempt it is parked.
 *   `PermanentError`: parked at once. Parked messages wait for `redrive`.
 * - A message may come more than once (a crash between commit and acknowledgement, a broker
 *   failover): handlers recognise it by `id` (the store's dedupe table) and do it once.
 * - At most `prefetch` messages of a queue are in a handler at once on one bus instance.
 */
export interface Bus {
  /** `rabbitmq` or `embedded`. */
  readonly kind: 'rabbitmq' | 'embedded';
  /** Declares the topology (RabbitMQ: exchanges and queues; embedded: nothing) and starts moving messages. */
  start(): Promise<void>;
  /** Publishes to the topic exchange; resolves with the message id once the message is durable. */
  publish(message: OutgoingMessage): Promise<string>;
  /** Runs `handler` for each message of `queue` (declared in the topology), at most its prefetch at once. */
  subscribe(queue: string, handler: MessageHandler): Promise<Subscription>;
  /** How many messages of `queue` are parked. */
  parkedCount(queue: string): Promise<number>;
  /** Moves up to `limit` parked messages of `queue` back to it, as first attempts; resolves with how many. */
  redrive(queue: string, options?: { limit?: number }): Promise<number>;
  /**
   * Stops taking messages, waits up to `drainTimeoutMs` for the handlers running, then closes.
   * Messages whose handler has not resolved by then are not acknowledged: they come again.
   */
  close(options?: { drainTimeoutMs?: number }): Promise<void>;
}

/** A message to publish. */
export interface OutgoingMessage {
  /** The routing key, matched against the queues' bindings (`*` one word, `#` any words). */
  readonly topic: string;
  readonly payload: Buffer;
  /** Stable id for dedupe; a random UUID when absent. */
  readonly id?: string;
  /** Application headers; names starting with `x-` are reserved for the bus. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A message as a handler receives it. */
export interface BusMessage {
  readonly id: string;
  readonly topic: string;
  readonly queue: string;
  readonly payload: Buffer;
  readonly headers: Readonly<Record<string, string>>;
  /** 1 on the first delivery, 2 on the first retry …; back to 1 after a redrive. */
  readonly attempt: number;
  /** The code of the error that made the previous attempt fail, if any. */
  readonly lastErrorCode?: string;
}

/** Handles one message; see the contract on `Bus` for what its outcome means. */
export type MessageHandler = (message: BusMessage) => Promise<void>;

/** A running subscription. */
export interface Subscription {
  /** Stops taking messages and waits for the handlers running to finish. */
  cancel(): Promise<void>;
}
