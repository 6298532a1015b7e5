import { gradeEvent } from '../../../gateway/grading/grade';
import { THRESHOLDS_2012, type ThresholdVersion } from '../../../gateway/grading/thresholds';

const at = new Date('2024-02-09T10:00:00+08:00');
const grade = (lossYuan: number | string, infected24h: number | string = 0) => gradeEvent({ lossYuan, infected24h }, at).level;

// rules.md "Event levels (Art. 8)": strict "more than" (超过); either figure alone is enough.
describe('gradeEvent (Art. 8, thresholds version 1)', () => {
  it.each([
    // [loss yuan, infected numbers, level]  — every row, exactly at the threshold and one unit over
    ['10000000', 0, 'II'],
    ['10000000.01', 0, 'I'],
    ['10000001', 0, 'I'],
    [0, 100000, 'II'],
    [0, 100001, 'I'],
    ['5000000', 0, 'III'],
    ['5000000.01', 0, 'II'],
    [0, 50000, 'III'],
    [0, 50001, 'II'],
    ['1000000', 0, 'IV'],
    ['1000000.01', 0, 'III'],
    [1000000.01, 0, 'III'],
    [0, 10000, 'IV'],
    [0, 10001, 'III'],
    [0, 0, 'IV'],
    ['1000000', 10000, 'IV'],
  ] as const)('loss %s yuan, %s numbers → %s', (loss, infected, level) => {
    expect(grade(loss, infected)).toBe(level);
  });

  it('takes the more serious figure when they disagree', () => {
    expect(grade('1000000.01', 100001)).toBe('I');
    expect(grade('10000000.5', 10)).toBe('I');
    expect(grade('6000000', 20000)).toBe('II');
  });

  it('compares money exactly (no float trap): a fraction of a fen over is over', () => {
    expect(grade('1000000.001')).toBe('III');
    expect(grade('1000000.000')).toBe('IV');
    expect(grade('0999999.99')).toBe('IV');
    // 0.1 + 0.2 style traps: 1000000.1 - 0.09 as a float is not exactly 1000000.01
    expect(grade(1000000.01)).toBe('III');
  });

  it('says which thresholds were exceeded and which version applied', () => {
    expect(gradeEvent({ lossYuan: '1000000.01', infected24h: 10001 }, at)).toEqual({
      level: 'III',
      thresholdVersion: 1,
      reasons: [
        { level: 'III', figure: 'lossYuan', value: '1000000.01', over: '1000000' },
        { level: 'III', figure: 'infected24h', value: '10001', over: '10000' },
      ],
    });
  });

  it.each([
    [{ lossYuan: -1, infected24h: 0 }, /lossYuan: -1 \(negative\)/],
    [{ lossYuan: 'abc', infected24h: 0 }, /lossYuan: "abc" is not a loss in yuan/],
    [{ lossYuan: '', infected24h: 0 }, /lossYuan: an empty value/],
    [{ lossYuan: Number.NaN, infected24h: 0 }, /lossYuan/],
    [{ lossYuan: 0, infected24h: -5 }, /infected24h: -5 \(negative\)/],
    [{ lossYuan: 0, infected24h: 1.5 }, /infected24h: 1.5 is not a number of infected phone numbers/],
    [{ lossYuan: 0, infected24h: undefined as unknown as number }, /infected24h: nothing \(missing\)/],
  ])('refuses a bad figure %j', (figures, message) => {
    expect(() => gradeEvent(figures, at)).toThrow(expect.objectContaining({ code: 'grading.invalid-figure', message: expect.stringMatching(message) }));
  });
});

describe('versioned thresholds', () => {
  // A hypothetical revision by MIIT effective 2025-01-01 doubling the level III loss threshold.
  const v2: ThresholdVersion = { ...THRESHOLDS_2012, version: 2, effectiveFrom: '2025-01-01T00:00:00+08:00', source: 'test revision', III: { lossYuanOver: '2000000', infected24hOver: 10000 } };
  const versions = [THRESHOLDS_2012, v2];

  it('grades by the version in force at the discovery time', () => {
    const figures = { lossYuan: '1500000', infected24h: 0 };
    expect(gradeEvent(figures, new Date('2024-12-31T23:59:59+08:00'), versions)).toMatchObject({ level: 'III', thresholdVersion: 1 });
    expect(gradeEvent(figures, new Date('2025-01-01T00:00:00+08:00'), versions)).toMatchObject({ level: 'IV', thresholdVersion: 2 });
  });

  it('has version 1 in force from 2012-01-01T00:00+08:00 and none before', () => {
    expect(gradeEvent({ lossYuan: 0, infected24h: 0 }, new Date('2011-12-31T16:00:00Z'))).toMatchObject({ thresholdVersion: 1 });
    expect(() => gradeEvent({ lossYuan: 0, infected24h: 0 }, new Date('2011-12-31T15:59:59Z'))).toThrow(expect.objectContaining({ code: 'grading.no-thresholds' }));
  });

  it('refuses inconsistent threshold versions', () => {
    const bad: ThresholdVersion = { ...v2, II: { lossYuanOver: '1500000', infected24hOver: 5 } };
    expect(() => gradeEvent({ lossYuan: 0, infected24h: 0 }, at, [THRESHOLDS_2012, bad])).toThrow(expect.objectContaining({ code: 'grading.bad-thresholds', message: expect.stringMatching(/loss thresholds must decrease.*infected-number thresholds must decrease/) }));
    expect(() => gradeEvent({ lossYuan: 0, infected24h: 0 }, at, [THRESHOLDS_2012, { ...v2, version: 1 }])).toThrow(/version numbers must increase/);
    expect(() => gradeEvent({ lossYuan: 0, infected24h: 0 }, at, [{ ...THRESHOLDS_2012, effectiveFrom: '2012-01-01T00:00:00' }])).toThrow(/must be an ISO 8601 instant with offset/);
  });
});
