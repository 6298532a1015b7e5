import { PermanentError } from '../bus/permanent-error';

/** Reads a bus job: a JSON object whose `field` is a non-empty string; otherwise the job is parked (`delivery.bad-job`). */
export function readJob(payload: Buffer, field: 'messageId' | 'deliveryId', queue: string): string {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    throw new PermanentError(`${queue}: the job is not JSON`, { code: 'delivery.bad-job' });
  }
  const v = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[field] : undefined;
  if (typeof v !== 'string' || v === '') throw new PermanentError(`${queue}: the job has no ${field} (a non-empty string)`, { code: 'delivery.bad-job' });
  return v;
}
