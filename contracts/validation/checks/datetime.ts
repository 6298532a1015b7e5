import { isRealDate } from './calendar';
import { fail, pass, shown, textCheck } from './check';

const DATETIME = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,9})?(Z|[+-]([0-9]{2}):([0-9]{2}))?$/;

/**
 * ISO 8601 / RFC 3339 date and time with seconds and an EXPLICIT offset (`Z` or `±hh:mm`),
 * a real calendar date and time; kept as written.
 */
export const checkDatetime = textCheck((v) => {
  const m = DATETIME.exec(v);
  const example = 'e.g. 2026-11-29T10:00:00+08:00';
  if (!m) return fail('contract.datetime', `must be an ISO 8601 date and time YYYY-MM-DDThh:mm:ss with an offset, ${example}, got ${shown(v)}`);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (!isRealDate(year, month, day) || hour > 23 || minute > 59 || second > 59) {
    return fail('contract.datetime', `is not a real date and time: ${shown(v)}`);
  }
  if (m[8] === undefined) return fail('contract.datetime-offset', `has no offset: write Z or ±hh:mm (Beijing time is +08:00), ${example}, got ${shown(v)}`);
  if (m[8] !== 'Z' && (Number(m[9]) > 23 || Number(m[10]) > 59)) return fail('contract.datetime', `has an impossible offset ${m[8]}`);
  return pass(v);
});
