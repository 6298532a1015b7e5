import { GatewayError } from '../../contracts/errors/gateway-error';

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/i;
const LOCAL = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/;

/**
 * Parses an ISO 8601 instant that carries an explicit offset (`Z` or `±hh:mm`). A time without
 * offset is refused: read in the process time zone it would silently shift every clock.
 * `label` names the field or option in the error.
 */
export function parseInstant(text: string, label = 'instant'): Date {
  const s = text.trim();
  const m = INSTANT.exec(s);
  if (!m) {
    if (LOCAL.test(s)) {
      throw new GatewayError('clock.instant-without-offset', `${label}: "${text}" has no time-zone offset; write it with Z or an offset, e.g. ${s.length === 10 ? `${s}T00:00` : s}+08:00 for Beijing time`, { field: label, value: text });
    }
    throw new GatewayError('clock.invalid-instant', `${label}: "${text}" is not an ISO 8601 instant such as 2024-02-09T10:00:00+08:00`, { field: label, value: text });
  }
  const [, y, mo, d, h, mi, sec = '0', , off] = m;
  const month = Number(mo);
  const day = Number(d);
  const probe = new Date(Date.UTC(Number(y), month - 1, day));
  const validDate = probe.getUTCFullYear() === Number(y) && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
  const offOk = off.toUpperCase() === 'Z' || (Number(off.slice(1, 3)) <= 14 && Number(off.slice(4, 6)) < 60);
  if (!validDate || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59 || !offOk) {
    throw new GatewayError('clock.invalid-instant', `${label}: "${text}" is not a valid date and time`, { field: label, value: text });
  }
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new GatewayError('clock.invalid-instant', `${label}: "${text}" is not a valid date and time`, { field: label, value: text });
  return new Date(t);
}
