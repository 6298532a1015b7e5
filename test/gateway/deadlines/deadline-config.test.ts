import { defineDeadlineConfig } from '../../../gateway/deadlines/deadline-config';
import { due } from './helpers';

// rules.md: "every default is configuration, not code" — and only the defaults are.
describe('configured deadlines', () => {
  it('written-followup (Art. 15) is configurable', () => {
    const config = defineDeadlineConfig({ 'written-followup': { kind: 'hours', hours: 12 } });
    expect(due('written-followup', '2024-02-09T18:00:00+08:00', undefined, { config })).toBe('2024-02-10T06:00:00+08:00');
  });

  it('event-report IV, the monthly day and retention are configurable', () => {
    const config = defineDeadlineConfig({
      'event-report': { IV: { kind: 'hours', hours: 24 } },
      'monthly-general-summary': { kind: 'monthly', dayOfNextMonth: 5 },
      retention: { kind: 'calendar-days', days: 90 },
    });
    expect(due('event-report', '2024-02-09T18:00:00+08:00', 'IV', { config })).toBe('2024-02-10T18:00:00+08:00');
    expect(due('event-report', '2024-02-09T18:00:00+08:00', 'I', { config })).toBe('2024-02-09T20:00:00+08:00');
    expect(due('monthly-general-summary', '2024-01-15T10:00:00+08:00', undefined, { config })).toBe('2024-02-06T00:00:00+08:00');
    expect(due('retention', '2024-01-01T00:00:00+08:00', undefined, { config })).toBe('2024-03-31T00:00:00+08:00');
  });

  it('refuses to configure what the mechanism fixes', () => {
    expect(() => defineDeadlineConfig({ 'sample-report': { kind: 'working-days', days: 5 } })).toThrow(expect.objectContaining({ code: 'deadline.not-configurable', message: expect.stringContaining('Art. 9(1)') }));
    expect(() => defineDeadlineConfig({ 'event-report': { I: { kind: 'hours', hours: 5 } } })).toThrow(expect.objectContaining({ code: 'deadline.not-configurable' }));
    expect(() => defineDeadlineConfig({ 'event-report': { kind: 'hours', hours: 5 } })).toThrow(expect.objectContaining({ code: 'deadline.not-configurable' }));
  });

  it('refuses unknown obligations and malformed rules', () => {
    expect(() => defineDeadlineConfig({ nope: { kind: 'hours', hours: 5 } })).toThrow(expect.objectContaining({ code: 'deadline.unknown-obligation' }));
    expect(() => defineDeadlineConfig({ 'written-followup': { kind: 'working-days', days: 0 } })).toThrow(expect.objectContaining({ code: 'deadline.bad-rule' }));
    expect(() => defineDeadlineConfig({ 'written-followup': { kind: 'fortnights' } as never })).toThrow(/unknown rule kind "fortnights"/);
  });
});
