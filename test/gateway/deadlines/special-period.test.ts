import { defineSpecialPeriod, specialPeriodFromConfig } from '../../../gateway/deadlines/special-period';
import { due, result } from './helpers';

// Art. 16: stricter rules for special periods, applying to obligations that START inside them.
const olympics = defineSpecialPeriod({
  id: 'winter-olympics-2022',
  name: '2022 Beijing Winter Olympics',
  start: new Date('2022-02-01T00:00:00+08:00'),
  end: new Date('2022-02-21T00:00:00+08:00'),
  hourFactor: 0.5,
  overrides: {
    'sample-report': { kind: 'working-days', days: 1 },
    verification: { IV: { kind: 'hours', hours: 24 } },
    'contact-change': { kind: 'working-days', days: 10 },
  },
});
const ctx = { specialPeriods: [olympics] };

describe('Art. 16 special periods', () => {
  it('halves hour deadlines of obligations starting inside the period', () => {
    expect(due('event-report', '2022-02-10T10:00:00+08:00', 'I', ctx)).toBe('2022-02-10T11:00:00+08:00');
    expect(due('event-report', '2022-02-10T10:00:00+08:00', 'III', ctx)).toBe('2022-02-10T12:00:00+08:00');
    expect(result('event-report', '2022-02-10T10:00:00+08:00', 'III', ctx).specialPeriod).toBe('winter-olympics-2022');
  });

  it('applies from its start (inclusive) to its end (exclusive)', () => {
    expect(due('event-report', '2022-01-31T23:59:59+08:00', 'I', ctx)).toBe('2022-02-01T01:59:59+08:00');
    expect(due('event-report', '2022-02-01T00:00:00+08:00', 'I', ctx)).toBe('2022-02-01T01:00:00+08:00');
    expect(due('event-report', '2022-02-21T00:00:00+08:00', 'I', ctx)).toBe('2022-02-21T02:00:00+08:00');
  });

  it('governs by the start: an obligation started before the period keeps its rule', () => {
    expect(result('event-report', '2022-01-31T23:30:00+08:00', 'III', ctx).specialPeriod).toBeUndefined();
  });

  it('applies per-obligation overrides, and to domain-disposal through disposal-feedback', () => {
    expect(due('sample-report', '2022-02-10T10:00:00+08:00', undefined, ctx)).toBe('2022-02-12T00:00:00+08:00');
    expect(due('verification', '2022-02-10T10:00:00+08:00', 'IV', ctx)).toBe('2022-02-11T10:00:00+08:00');
    expect(due('domain-disposal', '2022-02-10T10:00:00+08:00', 'II', ctx)).toBe('2022-02-10T11:00:00+08:00');
  });

  it('never loosens a deadline: a longer override loses to the normal rule', () => {
    const r = result('contact-change', '2022-02-10T10:00:00+08:00', undefined, ctx);
    expect(r.specialPeriod).toBeUndefined();
    expect(r.rule).toEqual({ kind: 'working-days', days: 3 });
  });

  it('refuses a period that ends before it starts, or at its start', () => {
    const spec = { id: 'p', name: 'p', start: new Date('2022-02-21T00:00:00+08:00'), end: new Date('2022-02-01T00:00:00+08:00') };
    expect(() => defineSpecialPeriod(spec)).toThrow(expect.objectContaining({ code: 'special-period.ends-before-start', message: expect.stringMatching(/special period p: it ends \(2022-02-01T00:00:00\+08:00\) before or when it starts/) }));
    expect(() => defineSpecialPeriod({ ...spec, end: spec.start })).toThrow(expect.objectContaining({ code: 'special-period.ends-before-start' }));
  });

  it('refuses a factor that is not stricter, unknown obligations and malformed rules', () => {
    const base = { id: 'p', name: 'p', start: new Date('2022-02-01T00:00:00Z'), end: new Date('2022-02-02T00:00:00Z') };
    expect(() => defineSpecialPeriod({ ...base, hourFactor: 2 })).toThrow(expect.objectContaining({ code: 'special-period.not-stricter' }));
    expect(() => defineSpecialPeriod({ ...base, hourFactor: 0 })).toThrow(expect.objectContaining({ code: 'special-period.not-stricter' }));
    expect(() => defineSpecialPeriod({ ...base, overrides: { nope: { kind: 'hours', hours: 1 } } as never })).toThrow(expect.objectContaining({ code: 'deadline.unknown-obligation' }));
    expect(() => defineSpecialPeriod({ ...base, overrides: { 'sample-report': { kind: 'hours', hours: -1 } } })).toThrow(expect.objectContaining({ code: 'deadline.bad-rule' }));
  });

  it('with overlapping periods the strictest wins', () => {
    const quarter = defineSpecialPeriod({ id: 'quarter', name: 'q', start: new Date('2022-02-09T00:00:00+08:00'), end: new Date('2022-02-11T00:00:00+08:00'), hourFactor: 0.25 });
    const r = result('event-report', '2022-02-10T10:00:00+08:00', 'III', { specialPeriods: [olympics, quarter] });
    expect(r.specialPeriod).toBe('quarter');
    expect(r.rule).toEqual({ kind: 'hours', hours: 1 });
  });

  it('reads a period from configuration, instants with offset only', () => {
    const p = specialPeriodFromConfig({ id: 'congress', name: 'national congress', start: '2022-10-16T00:00:00+08:00', end: '2022-10-23T00:00:00+08:00', hourFactor: 0.5 });
    expect(due('disposal-feedback', '2022-10-20T09:00:00+08:00', 'III', { specialPeriods: [p] })).toBe('2022-10-20T11:00:00+08:00');
    expect(() => specialPeriodFromConfig({ id: 'c', name: 'c', start: '2022-10-16T00:00:00', end: '2022-10-23T00:00:00+08:00' })).toThrow(
      expect.objectContaining({ code: 'clock.instant-without-offset', message: expect.stringContaining('special period c: start') }),
    );
    expect(() => specialPeriodFromConfig({ id: 'c', name: 'c', start: '2022-10-23T00:00:00+08:00', end: '2022-10-16T00:00:00+08:00' })).toThrow(expect.objectContaining({ code: 'special-period.ends-before-start' }));
  });
});
