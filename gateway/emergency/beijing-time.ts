/**
 * A time typed by a person, read as Beijing time: `YYYY-MM-DD HH:MM[:SS]` or `YYYY-MM-DDTHH:MM[:SS]`
 * (what an `<input type="datetime-local">` posts), or ISO 8601 with its own offset. Undefined
 * when it is not one of those or names no real instant (30 February, 25:00).
 */
export function parseBeijingTime(text: string): Date | undefined {
  const s = text.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, se, zone] = m;
  const offset = zone ?? '+08:00';
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${se ?? '00'}${offset}`);
  if (Number.isNaN(date.getTime())) return undefined;
  // The calendar fields must survive the round trip (Date rolls 30 February over to March).
  const shift = offset === 'Z' ? 0 : (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const local = new Date(date.getTime() + shift * 60_000).toISOString();
  return local.slice(0, 16) === `${y}-${mo}-${d}T${h}:${mi}` ? date : undefined;
}
