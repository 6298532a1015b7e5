import { formByName } from '../../../contracts/forms';
import { isInstitutionPattern, matchesAny, matchesPattern } from '../../../contracts/routing';
import { declaredTypeAt, valuesAt } from '../../../contracts/routing/body-path';

describe('institution patterns', () => {
  it.each(['*', 'miit', 'cncert', 'mmgw', 'ca-*', 'op-*', 'dr-*', 'rr-*', 'ca-11', 'ca-65', 'op-cmcc', 'dr-cnnic', 'rr-demo'])('%s is a pattern', (p) => {
    expect(isInstitutionPattern(p)).toBe(true);
  });

  it.each(['', 'xx-*', 'op*', 'ca-99', 'ca-1', 'OP-CMCC', 'op-', 'op-**', 'miit-*'])('%s is not', (p) => {
    expect(isInstitutionPattern(p)).toBe(false);
  });

  it('matches kinds by prefix, codes exactly, * everything', () => {
    expect(matchesPattern('op-cmcc', 'op-*')).toBe(true);
    expect(matchesPattern('op-', 'op-*')).toBe(false);
    expect(matchesPattern('dr-cnnic', 'op-*')).toBe(false);
    expect(matchesPattern('ca-11', 'ca-11')).toBe(true);
    expect(matchesPattern('ca-12', 'ca-11')).toBe(false);
    expect(matchesPattern('mmgw', '*')).toBe(true);
    expect(matchesAny('rr-demo', ['dr-*', 'rr-*'])).toBe(true);
    expect(matchesAny('miit', [])).toBe(false);
  });
});

describe('body paths', () => {
  const body = { provinces: ['11', '44'], samples: [{ md5: 'a', tags: ['x', 'y'] }, { md5: 'b' }, {}], level: 'II' };

  it('reads values through lists', () => {
    expect(valuesAt(body, 'provinces')).toEqual(['11', '44']);
    expect(valuesAt(body, 'samples.md5')).toEqual(['a', 'b']);
    expect(valuesAt(body, 'samples.tags')).toEqual(['x', 'y']);
    expect(valuesAt(body, 'level')).toEqual(['II']);
    expect(valuesAt(body, 'missing.deeper')).toEqual([]);
    expect(valuesAt(undefined, 'level')).toEqual([]);
    expect(valuesAt({ a: null }, 'a.b')).toEqual([]);
  });

  it('does not read inherited properties', () => {
    expect(valuesAt({}, 'constructor')).toEqual([]);
  });

  it('finds the declared type at a path, lists unwrapped', () => {
    const identification = formByName('SampleIdentification')!.body;
    expect(declaredTypeAt(identification, 'samples.md5')?.kind).toBe('md5');
    expect(declaredTypeAt(identification, 'provinces')?.kind).toBe('province');
    expect(declaredTypeAt(identification, 'samples.controlDomains')?.kind).toBe('domain');
    expect(declaredTypeAt(identification, 'samples')?.kind).toBe('object');
    expect(declaredTypeAt(identification, 'samples.nope')).toBeUndefined();
    expect(declaredTypeAt(identification, 'number.deeper')).toBeUndefined();
  });
});
