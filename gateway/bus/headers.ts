/** Headers the bus itself sets; applications may not use names starting with `x-`. */
export const BUS_HEADERS = {
  /** The attempt this delivery is (1, 2, …). */
  attempt: 'x-mmgw-attempt',
  /** The code of the error of the previous attempt. */
  lastErrorCode: 'x-mmgw-last-error-code',
  /** The message of the error of the previous attempt (truncated). */
  lastError: 'x-mmgw-last-error',
  /** The topic it was published with (RabbitMQ: kept across the hops through retry and parking queues). */
  topic: 'x-mmgw-topic',
} as const;

/** Keeps only the application headers (drops `x-…` and non-string values). */
export function applicationHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (!k.startsWith('x-') && typeof v === 'string') out[k] = v;
  return out;
}
