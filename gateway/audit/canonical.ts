import { createHash } from 'node:crypto';

/** A JSON value that has exactly one canonical text. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * The canonical JSON text of `value`: object keys sorted by code unit, no whitespace, numbers
 * and strings as JSON.stringify writes them (RFC 8785 in spirit for the values we store).
 * Throws a TypeError on what JSON cannot carry exactly (undefined, functions, NaN, Infinity).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonical JSON cannot carry the number ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
  }
  throw new TypeError(`canonical JSON cannot carry a ${typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value}`);
}

/** The genesis hash: the `prevHash` of entry 1. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit entry that its hash covers. */
export interface HashedAuditFields {
  readonly seq: number;
  readonly time: Date;
  readonly kind: string;
  readonly actor: string;
  readonly subject: string;
  /** The details as canonical JSON text. */
  readonly details: string;
  readonly prevHash: string;
}

/**
 * The hash of an audit entry: SHA-256 (hex) of the canonical JSON of
 * `{"actor","details","kind","prevHash","seq","subject","time","v":1}`, where `details` is the
 * parsed details object and `time` the ISO 8601 UTC instant with milliseconds. Anyone can
 * recompute it from an export of the table.
 */
export function auditEntryHash(entry: HashedAuditFields): string {
  return hashOf(entry, canonicalJson(JSON.parse(entry.details) as JsonValue));
}

/**
 * auditEntryHash of an entry whose `details` are canonical JSON text already (what appendAudit
 * writes: canonicalJson's output is its own canonical form), without parsing and re-writing
 * them: the same hash, less work per accepted message (issue 4 item 8).
 */
export function auditEntryHashOfCanonical(entry: HashedAuditFields): string {
  return hashOf(entry, entry.details);
}

/** The hashed text written directly, keys in code-unit order as canonicalJson sorts them; `details` is canonical text. */
function hashOf(entry: HashedAuditFields, details: string): string {
  const text = `{"actor":${canonicalJson(entry.actor)},"details":${details},"kind":${canonicalJson(entry.kind)},"prevHash":${canonicalJson(entry.prevHash)},`
    + `"seq":${canonicalJson(entry.seq)},"subject":${canonicalJson(entry.subject)},"time":${canonicalJson(entry.time.toISOString())},"v":1}`;
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
