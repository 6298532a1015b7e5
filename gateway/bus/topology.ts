import { GatewayError } from '../../contracts/errors/gateway-error';
import { retryDelay } from './outcome';

/** How a queue retries a message whose handler failed transiently. */
export interface RetryPolicy {
  /**
   * Deliveries of a message before it is parked (the first one included).
   * @defaultValue 5
   */
  readonly maxAttempts: number;
  /**
   * Delay after the first failed attempt, in milliseconds.
   * @defaultValue 1000
   */
  readonly baseDelayMs: number;
  /**
   * Each further delay is the previous one times this.
   * @defaultValue 4
   */
  readonly factor: number;
  /**
   * No delay is longer than this, in milliseconds.
   * @defaultValue 300000 (5 minutes)
   */
  readonly maxDelayMs: number;
}

/** The defaults, written once (style.md, "Defaults live once"). */
export const TOPOLOGY_DEFAULTS = {
  retry: { maxAttempts: 5, baseDelayMs: 1000, factor: 4, maxDelayMs: 300_000 } satisfies RetryPolicy,
  /** Messages of a queue in handlers at once, per bus instance. */
  prefetch: 16,
  /**
   * RabbitMQ only: deliveries of one message without any outcome (its consumer crashed each
   * time) before the work queue dead-letters it to the parking queue (quorum `x-delivery-limit`).
   */
  deliveryLimit: 20,
} as const;

/** One work queue of the declaration. */
export interface QueueDeclaration {
  /** Binding patterns on the topic exchange (`*` one word, `#` any words); at least one. */
  readonly bindings: readonly string[];
  /** Overrides of the topology's retry policy for this queue. */
  readonly retry?: Partial<RetryPolicy>;
  /** Overrides the topology's prefetch for this queue. */
  readonly prefetch?: number;
}

/**
 * The ONE declaration of the bus: the topic exchange and the work queues bound to it. The
 * delayed-retry and parking queues are derived from it, so nothing is declared twice.
 */
export interface BusTopologyDeclaration {
  /** Name of the topic exchange messages are published to. */
  readonly exchange: string;
  /** Work queues by name. */
  readonly queues: Readonly<Record<string, QueueDeclaration>>;
  /** Retry policy of every queue (each field defaults to TOPOLOGY_DEFAULTS.retry). */
  readonly retry?: Partial<RetryPolicy>;
  /** Prefetch of every queue (TOPOLOGY_DEFAULTS.prefetch). */
  readonly prefetch?: number;
  /** See TOPOLOGY_DEFAULTS.deliveryLimit. */
  readonly deliveryLimit?: number;
}

/** A work queue with everything derived. */
export interface ResolvedQueue {
  readonly name: string;
  readonly bindings: readonly string[];
  readonly retry: RetryPolicy;
  readonly prefetch: number;
  /**
   * Where attempt n waits before attempt n + 1 (index n − 1, for n = 1 … maxAttempts − 1). A
   * retry queue is named by its delay (`<queue>.retry.<ms>ms`), so attempts with the same
   * (capped) delay share one, and a changed policy declares new queues instead of clashing
   * with the arguments of the old ones (which drain into the work queue as before).
   */
  readonly retryQueues: readonly { readonly name: string; readonly delayMs: number }[];
  readonly parkingQueue: string;
}

/** The validated topology with its defaults filled in. */
export interface BusTopology {
  readonly exchange: string;
  readonly queues: ReadonlyMap<string, ResolvedQueue>;
  readonly deliveryLimit: number;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;
const WORD = /^(\*|#|[A-Za-z0-9_-]+)$/;
const TOP_KEYS = ['exchange', 'queues', 'retry', 'prefetch', 'deliveryLimit'];
const QUEUE_KEYS = ['bindings', 'retry', 'prefetch'];
const RETRY_KEYS = ['maxAttempts', 'baseDelayMs', 'factor', 'maxDelayMs'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function unknownKeys(value: Record<string, unknown>, allowed: string[], path: string, problems: string[]): void {
  for (const k of Object.keys(value)) if (!allowed.includes(k)) problems.push(`${path}${k}: unknown key (expected one of ${allowed.join(', ')})`);
}

function integer(value: unknown, min: number, max: number, path: string, problems: string[]): void {
  if (value !== undefined && !(Number.isInteger(value) && (value as number) >= min && (value as number) <= max)) problems.push(`${path}: must be an integer from ${min} to ${max}`);
}

function checkRetry(value: unknown, path: string, problems: string[]): void {
  if (value === undefined) return;
  if (!isRecord(value)) {
    problems.push(`${path}: must be an object`);
    return;
  }
  unknownKeys(value, RETRY_KEYS, `${path}.`, problems);
  integer(value.maxAttempts, 1, 50, `${path}.maxAttempts`, problems);
  integer(value.baseDelayMs, 1, 86_400_000, `${path}.baseDelayMs`, problems);
  integer(value.maxDelayMs, 1, 86_400_000, `${path}.maxDelayMs`, problems);
  if (value.factor !== undefined && !(typeof value.factor === 'number' && value.factor >= 1 && value.factor <= 100)) problems.push(`${path}.factor: must be a number from 1 to 100`);
}

/**
 * Validates the declaration before anything connects and fills in the defaults. Every problem
 * is reported at once, with its path, in one `bus.invalid-topology` error.
 */
export function resolveTopology(declaration: BusTopologyDeclaration): BusTopology {
  const problems: string[] = [];
  const d: unknown = declaration;
  if (!isRecord(d)) throw new GatewayError('bus.invalid-topology', 'bus topology: the declaration must be an object', { problems: ['must be an object'] });
  unknownKeys(d, TOP_KEYS, '', problems);
  if (typeof d.exchange !== 'string' || !NAME.test(d.exchange)) problems.push('exchange: must be a name of 1–200 letters, digits, ".", "_", ":" or "-", starting with a letter or digit');
  checkRetry(d.retry, 'retry', problems);
  integer(d.prefetch, 1, 1000, 'prefetch', problems);
  integer(d.deliveryLimit, 1, 1000, 'deliveryLimit', problems);
  const queues = isRecord(d.queues) ? d.queues : {};
  if (!isRecord(d.queues) || Object.keys(queues).length === 0) problems.push('queues: must declare at least one queue');
  const derived = new Map<string, string>();
  for (const [name, q] of Object.entries(queues)) {
    const path = `queues.${name}`;
    if (!NAME.test(name)) problems.push(`${path}: the queue name must be 1–200 letters, digits, ".", "_", ":" or "-", starting with a letter or digit`);
    if (!isRecord(q)) {
      problems.push(`${path}: must be an object`);
      continue;
    }
    unknownKeys(q, QUEUE_KEYS, `${path}.`, problems);
    if (!Array.isArray(q.bindings) || q.bindings.length === 0) problems.push(`${path}.bindings: must list at least one binding pattern`);
    else q.bindings.forEach((b: unknown, i: number) => {
      if (typeof b !== 'string' || b.length > 255 || !b.split('.').every((w) => WORD.test(w))) problems.push(`${path}.bindings[${i}]: "${String(b)}" is not a topic pattern (words of letters, digits, "_" or "-", or "*" / "#", separated by ".")`);
    });
    checkRetry(q.retry, `${path}.retry`, problems);
    integer(q.prefetch, 1, 1000, `${path}.prefetch`, problems);
    derived.set(`${name}.parked`, name);
  }
  for (const name of Object.keys(queues)) {
    const owner = derived.get(name) ?? [...derived.values()].find((o) => name.startsWith(`${o}.retry.`));
    if (owner !== undefined) problems.push(`queues.${name}: the name is taken by a retry or parking queue derived from queue ${owner}`);
  }
  if (problems.length > 0) throw new GatewayError('bus.invalid-topology', `bus topology: ${problems.length} problem(s): ${problems.join('; ')}`, { problems });

  const resolved = new Map<string, ResolvedQueue>();
  for (const [name, q] of Object.entries(declaration.queues)) {
    const retry: RetryPolicy = { ...TOPOLOGY_DEFAULTS.retry, ...declaration.retry, ...q.retry };
    const retryQueues = [];
    for (let n = 1; n < retry.maxAttempts; n += 1) {
      const delayMs = retryDelay(retry, n);
      retryQueues.push({ name: `${name}.retry.${delayMs}ms`, delayMs });
    }
    resolved.set(name, { name, bindings: [...q.bindings], retry, prefetch: q.prefetch ?? declaration.prefetch ?? TOPOLOGY_DEFAULTS.prefetch, retryQueues, parkingQueue: `${name}.parked` });
  }
  return { exchange: declaration.exchange, queues: resolved, deliveryLimit: declaration.deliveryLimit ?? TOPOLOGY_DEFAULTS.deliveryLimit };
}

/** The queue `name` of the topology, or `bus.unknown-queue`. */
export function queueOf(topology: BusTopology, name: string): ResolvedQueue {
  const q = topology.queues.get(name);
  if (q === undefined) throw new GatewayError('bus.unknown-queue', `the queue ${name} is not declared in the bus topology (declared: ${[...topology.queues.keys()].join(', ')})`, { queue: name });
  return q;
}
