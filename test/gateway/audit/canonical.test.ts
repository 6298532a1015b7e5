import { createHash } from 'node:crypto';
import { auditEntryHash, canonicalJson } from '../../../gateway/audit';
import { auditEntryHashOfCanonical } from '../../../gateway/audit/canonical';

describe('canonical JSON of audit details', () => {
  it('sorts keys at every depth, drops undefined members and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null, 'x'], c: '中' }, u: undefined })).toBe('{"a":{"c":"中","d":[true,null,"x"]},"b":1}');
  });

  it('gives the same text whatever the insertion order', () => {
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  it.each([[Number.POSITIVE_INFINITY], [Number.NaN], [new Date(0)], [() => 1], [undefined]])('refuses %p', (value) => {
    expect(() => canonicalJson({ v: [value] })).toThrow(TypeError);
  });
});

describe('the hash of an audit entry', () => {
  // What the hash is documented to be: SHA-256 of the canonical JSON of the fields with the details parsed.
  const documented = (e: { seq: number; time: Date; kind: string; actor: string; subject: string; details: string; prevHash: string }) => createHash('sha256')
    .update(canonicalJson({ v: 1, seq: e.seq, time: e.time.toISOString(), kind: e.kind, actor: e.actor, subject: e.subject, details: JSON.parse(e.details) as unknown, prevHash: e.prevHash }), 'utf8').digest('hex');
  const entries = [
    { seq: 1, time: new Date('2026-11-29T10:00:00.123Z'), kind: 'accept', actor: 'op-cmcc', subject: 'op-cmcc-20261129-000001', details: canonicalJson({ to: ['miit'], hash: 'ab', size: 12, format: 'json' }), prevHash: '0'.repeat(64) },
    { seq: 123456789, time: new Date(0), kind: 'reject', actor: 'a "quoted" \\ actor', subject: '中文 \u2028 subject', details: canonicalJson({ z: { b: [1.5, null, true], a: '\n' }, a: -0.25 }), prevHash: 'f'.repeat(64) },
    { seq: 2, time: new Date('2026-01-01T00:00:00Z'), kind: 'admin', actor: 'mmgw', subject: 's', details: '{}', prevHash: 'e'.repeat(64) },
  ];

  it.each(entries.map((e) => [e.kind, e] as const))('%s: the direct text of canonical details hashes as the parsed details do', (_kind, e) => {
    expect(auditEntryHashOfCanonical(e)).toBe(documented(e));
    expect(auditEntryHash(e)).toBe(documented(e));
  });

  it('re-canonicalises details stored in another form (auditEntryHash, what the chain check uses)', () => {
    const e = { ...entries[0]!, details: '{ "size": 12, "hash": "ab", "format": "json", "to": [ "miit" ] }' };
    expect(auditEntryHash(e)).toBe(documented(e));
    expect(auditEntryHash(e)).toBe(auditEntryHashOfCanonical(entries[0]!));
  });
});
