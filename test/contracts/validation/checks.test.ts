import type { ScalarType } from '../../../contracts/model/field-types';
import { scalarChecks } from '../../../contracts/validation/checks';
import { DEFAULT_VALIDATION_OPTIONS, resolveOptions } from '../../../contracts/validation/options';

function run(type: ScalarType, value: unknown, options = DEFAULT_VALIDATION_OPTIONS) {
  return scalarChecks[type.kind](value, type, options);
}

/** [input, normalised] pairs that must pass, and inputs that must fail with `code`. */
const table: { type: ScalarType; code: string; good: [unknown, unknown][]; bad: unknown[] }[] = [
  {
    type: { kind: 'md5' },
    code: 'contract.md5',
    good: [['9E107D9D372BB6826BD81D3542A419D6', '9e107d9d372bb6826bd81d3542a419d6'], ['d41d8cd98f00b204e9800998ecf8427e', 'd41d8cd98f00b204e9800998ecf8427e']],
    bad: ['9e107d9d372bb6826bd81d3542a419d', '9e107d9d372bb6826bd81d3542a419d6a', 'g9107d9d372bb6826bd81d3542a419d6', ' 9e107d9d372bb6826bd81d3542a419d6'],
  },
  {
    type: { kind: 'sha256' },
    code: 'contract.sha256',
    good: [['E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']],
    bad: ['e3b0c44298fc1c149afbf4c8996fb924', 'z3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  },
  {
    type: { kind: 'malware-name' },
    code: 'contract.malware-name',
    good: [
      ['a.privacy.emial.d', 'a.privacy.emial.d'],
      ['a.expense.GhostPush.a', 'a.expense.GhostPush.a'],
      ['s.payment.sysantirus.g.[伪系统杀毒]', 's.payment.sysantirus.g.[伪系统杀毒]'],
      ...['payment', 'privacy', 'remote', 'spread', 'expense', 'system', 'fraud', 'rogue'].map((a): [string, string] => [`a.${a}.fam.a`, `a.${a}.fam.a`]),
    ],
    bad: ['A.Remote.Foo.b', 'a.Privacy.x.a', 'x.privacy.emial.d', 'a.stealing.emial.d', 'a.privacy.emial', 'a.privacy..d', 'a.privacy.emial.d.伪系统杀毒', 'a.privacy.emial.d.[]', 'a privacy emial d'],
  },
  {
    type: { kind: 'ip' },
    code: 'contract.ip',
    good: [['192.0.2.1', '192.0.2.1'], ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'], ['::ffff:192.0.2.1', '::ffff:c000:201'], ['fe80::1', 'fe80::1']],
    bad: ['256.1.1.1', '192.0.2', '01.2.3.4', 'fe80::1%eth0', 'example.com', '2001:db8:::1'],
  },
  { type: { kind: 'port' }, code: 'contract.port', good: [[1, 1], [443, 443], [65535, 65535]], bad: [0, 65536, 80.5, -1] },
  {
    type: { kind: 'domain' },
    code: 'contract.domain',
    good: [['Example.COM', 'example.com'], ['evil[.]example[.]cn', 'evil.example.cn'], ['例子.中国', 'xn--fsqu00a.xn--fiqs8s'], ['a-b.example.com.', 'a-b.example.com']],
    bad: ['localhost', '-bad.example.com', 'bad-.example.com', 'exa mple.com', '192.0.2.1', 'http://example.com', 'a..b.com', `${'a'.repeat(64)}.com`, 'example.123'],
  },
  {
    type: { kind: 'url' },
    code: 'contract.url',
    good: [
      ['http://example.com/a?b=c', 'http://example.com/a?b=c'],
      ['hxxp://evil[.]example[.]cn/pay', 'http://evil.example.cn/pay'],
      ['HXXPS://evil[.]cn[:]8443/x', 'https://evil.cn:8443/x'],
      ['https://例子.中国/路径', 'https://xn--fsqu00a.xn--fiqs8s/%E8%B7%AF%E5%BE%84'],
      ['http://[2001:db8::1]/', 'http://[2001:db8::1]/'],
    ],
    bad: ['ftp://example.com/', 'example.com/path', 'javascript:alert(1)', 'http://exa mple.com/', 'http://', 'hxxp:/evil.cn'],
  },
  { type: { kind: 'province' }, code: 'contract.province', good: [['11', '11'], ['65', '65'], ['46', '46'], ['50', '50']], bad: ['10', '16', '24', '30', '38', '47', '55', '60', '66', '71', '1', 11] },
  {
    type: { kind: 'institution' },
    code: 'contract.institution',
    good: ['miit', 'cncert', 'mmgw', 'ca-11', 'ca-65', 'op-cmcc', 'dr-cnnic', 'rr-abc123'].map((v): [string, string] => [v, v]),
    bad: ['ca-99', 'ca-1', 'op-', 'op-CMCC', 'xx-cmcc', 'MIIT', 'op-c_mcc'],
  },
  {
    type: { kind: 'email' },
    code: 'contract.email',
    good: [['zhang.wei@Example.CN', 'zhang.wei@example.cn'], ['a+b@例子.中国', 'a+b@xn--fsqu00a.xn--fiqs8s']],
    bad: ['zhang.wei', '@example.cn', 'a@b', 'a b@example.cn', 'a@@example.cn', 'a..b@example.cn'],
  },
  {
    type: { kind: 'phone' },
    code: 'contract.phone',
    good: ['010-66205555', '+86 138 0013 8000', '(010) 6620 5555', '010-66205555 转 123', '13800138000', '95555'].map((v): [string, string] => [v, v]),
    bad: ['call me', '123', '010--6620', '+86 138 0013 8000 ext', '138-0013-8000-'],
  },
  {
    type: { kind: 'datetime' },
    code: 'contract.datetime',
    good: ['2026-11-29T10:00:00+08:00', '2026-11-29T02:00:00Z', '2024-02-29T23:59:59.123-05:00'].map((v): [string, string] => [v, v]),
    bad: ['2026-02-29T10:00:00+08:00', '2026-11-31T10:00:00+08:00', '2026-11-29T24:00:00+08:00', '2026-11-29T10:60:00Z', '2026-11-29 10:00:00+08:00', '2026-11-29T10:00+08:00', '2026-11-29', '2026-11-29T10:00:00+0800', '2026-11-29T10:00:00+25:00'],
  },
  { type: { kind: 'date' }, code: 'contract.date', good: [['2024-02-29', '2024-02-29']], bad: ['2023-02-29', '2026-13-01', '2026-1-1', '2026-11-29T00:00:00Z'] },
  { type: { kind: 'month' }, code: 'contract.date', good: [['2026-11', '2026-11']], bad: ['2026-13', '2026-00', '2026-1'] },
  { type: { kind: 'message-id' }, code: 'contract.message-id', good: [['op-cmcc-20261127-0001', 'op-cmcc-20261127-0001']], bad: ['short', '-op-cmcc-0001', 'op cmcc 20261127', 'x'.repeat(129)] },
  { type: { kind: 'enum', values: ['high', 'low'], labels: { high: '高' } }, code: 'contract.enum', good: [['high', 'high']], bad: ['High', 'medium', ''] },
  { type: { kind: 'integer', minimum: 1, maximum: 10 }, code: 'contract.minimum', good: [[1, 1], [10, 10]], bad: [0, -5] },
  { type: { kind: 'integer', minimum: 1, maximum: 10 }, code: 'contract.maximum', good: [], bad: [11] },
  { type: { kind: 'decimal', minimum: 0, fractionDigits: 2 }, code: 'contract.fraction-digits', good: [[1000000.01, 1000000.01], [0, 0], [5, 5]], bad: [0.001, 1.234] },
  { type: { kind: 'string', minLength: 1, maxLength: 3 }, code: 'contract.too-long', good: [['😀😀😀', '😀😀😀'], ['中文字', '中文字']], bad: ['abcd', '中文字符'] },
  { type: { kind: 'string', minLength: 1, maxLength: 30 }, code: 'contract.single-line', good: [], bad: ['a\nb', 'a\r\nb'] },
  { type: { kind: 'string', minLength: 1, maxLength: 30, multiline: true }, code: 'contract.character', good: [['a\nb\tc', 'a\nb\tc']], bad: ['a\u0000b', 'bell\u0007', '\uFFFE', 'lone \uD800 surrogate'] },
  { type: { kind: 'string', minLength: 1, maxLength: 30, pattern: '^T-[0-9]+$', patternHint: 'T- and digits' }, code: 'contract.pattern', good: [['T-1', 'T-1']], bad: ['T1', 'x T-1'] },
];

describe('domain checks', () => {
  for (const { type, code, good, bad } of table) {
    describe(`${type.kind} (${code})`, () => {
      if (good.length > 0) {
        it.each(good)('accepts %j as %j', (input, normalised) => {
          expect(run(type, input)).toEqual({ ok: true, value: normalised });
        });
      }
      it.each(bad.map((b) => [b]))('refuses %j', (input) => {
        const r = run(type, input);
        expect(r.ok).toBe(false);
        if (!r.ok) expect([code, 'contract.type']).toContain(r.code);
        if (!r.ok && typeof input === 'string' && type.kind !== 'port') expect(r.code).toBe(code);
      });
    });
  }

  it('datetime without an offset is contract.datetime-offset', () => {
    expect(run({ kind: 'datetime' }, '2026-11-29T10:00:00')).toMatchObject({ ok: false, code: 'contract.datetime-offset' });
    expect(run({ kind: 'datetime' }, '2026-11-29T10:00:00.5')).toMatchObject({ ok: false, code: 'contract.datetime-offset' });
  });

  it('text where a number is expected, and a number where text is expected, are type errors', () => {
    expect(run({ kind: 'integer' }, '5')).toMatchObject({ ok: false, code: 'contract.type' });
    expect(run({ kind: 'port' }, '443')).toMatchObject({ ok: false, code: 'contract.type' });
    expect(run({ kind: 'md5' }, 5)).toMatchObject({ ok: false, code: 'contract.type' });
    expect(run({ kind: 'boolean' }, 'true')).toMatchObject({ ok: false, code: 'contract.type' });
  });

  it('malware-name lists are configurable', () => {
    const options = resolveOptions({ malwareOs: { a: 'Android', i: 'iOS' }, malwareAttributes: { privacy: '信息窃取' } });
    expect(run({ kind: 'malware-name' }, 'i.privacy.x.a', options)).toMatchObject({ ok: true });
    expect(run({ kind: 'malware-name' }, 's.privacy.x.a', options)).toMatchObject({ ok: false, code: 'contract.malware-name' });
    expect(run({ kind: 'malware-name' }, 'a.payment.x.a', options)).toMatchObject({ ok: false, code: 'contract.malware-name' });
    expect(run({ kind: 'malware-name' }, 's.payment.x.a')).toMatchObject({ ok: true });
  });
});
