import { GatewayError } from '../../contracts/errors/gateway-error';
import { isEventLevel, type EventLevel } from '../../contracts/obligations/event-levels';
import { startOfBeijingDay } from '../calendar/beijing-time';

/** A body seen as a record of fields. */
export type Fields = Readonly<Record<string, unknown>>;

function bad(type: string, field: string, why: string): GatewayError {
  return new GatewayError('obligation.bad-body', `${type}: ${field} ${why}`, { form: type, field });
}

/** The body as a record; throws `obligation.bad-body` if it is not an object. */
export function fieldsOf(type: string, body: unknown): Fields {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad(type, 'body', 'must be an object');
  return body as Fields;
}

/** A required string field. */
export function text(type: string, fields: Fields, field: string): string {
  const v = fields[field];
  if (typeof v !== 'string' || v === '') throw bad(type, field, 'is missing');
  return v;
}

/** An optional string field. */
export function optionalText(fields: Fields, field: string): string | undefined {
  const v = fields[field];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** A required instant (a Date, or ISO 8601 text with an offset). */
export function instantField(type: string, fields: Fields, field: string, label = field): Date {
  const v = fields[field];
  const d = v instanceof Date ? v : typeof v === 'string' && /(Z|[+-]\d\d:\d\d)$/.test(v) ? new Date(v) : undefined;
  if (d === undefined || Number.isNaN(d.getTime())) throw bad(type, label, 'must be an instant with an offset');
  return d;
}

/** A required Beijing date (YYYY-MM-DD), as the instant its day starts. */
export function dateField(type: string, fields: Fields, field: string): Date {
  const v = fields[field];
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw bad(type, field, 'must be a date YYYY-MM-DD');
  return startOfBeijingDay(v);
}

/** A month YYYY-MM. */
export function monthField(type: string, fields: Fields, field: string): string {
  const v = fields[field];
  if (typeof v !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(v)) throw bad(type, field, 'must be a month YYYY-MM');
  return v;
}

/** A level of Art. 8, if the body states one. */
export function levelField(type: string, fields: Fields, field = 'level'): EventLevel | undefined {
  const v = fields[field];
  if (v === undefined || v === null) return undefined;
  if (!isEventLevel(v)) throw bad(type, field, `"${String(v)}" is not an event level of Art. 8 (I, II, III, IV)`);
  return v;
}

/** A required level. */
export function requiredLevel(type: string, fields: Fields, field = 'level'): EventLevel {
  const level = levelField(type, fields, field);
  if (level === undefined) throw bad(type, field, 'is missing (Art. 8 level I–IV)');
  return level;
}

/** An array of objects (empty when absent). */
export function records(fields: Fields, field: string): Fields[] {
  const v = fields[field];
  return Array.isArray(v) ? v.filter((x): x is Fields => typeof x === 'object' && x !== null) : [];
}

/** Province codes (strings) of the body. */
export function provinces(fields: Fields): string[] {
  const v = fields.provinces;
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The Beijing month (YYYY-MM) of an instant. */
export function beijingMonth(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 7);
}
