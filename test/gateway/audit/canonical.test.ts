import { canonicalJson } from '../../../gateway/audit';

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
