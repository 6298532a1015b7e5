import { addDays, beijingDateOf, endOfBeijingDay, formatBeijing, isIsoDate, parseIsoDate, startOfBeijingDay, weekdayOf } from '../../../gateway/calendar/beijing-time';

// rules.md: "All times are stored in UTC and shown in Beijing time" (UTC+8, no DST). These run
// under TZ=UTC and TZ=America/New_York too (jest project `tz`).
describe('Beijing time', () => {
  it('puts 23:30 UTC on the next Beijing day', () => {
    expect(beijingDateOf(new Date('2024-02-08T23:30:00Z'))).toBe('2024-02-09');
    expect(beijingDateOf(new Date('2024-02-08T15:59:59.999Z'))).toBe('2024-02-08');
    expect(beijingDateOf(new Date('2024-02-08T16:00:00Z'))).toBe('2024-02-09');
  });

  it('starts and ends a Beijing day at 00:00 +08:00', () => {
    expect(startOfBeijingDay('2024-02-09').toISOString()).toBe('2024-02-08T16:00:00.000Z');
    expect(endOfBeijingDay('2024-02-09').toISOString()).toBe('2024-02-09T16:00:00.000Z');
    expect(endOfBeijingDay('2024-12-31').toISOString()).toBe('2024-12-31T16:00:00.000Z');
  });

  it('formats instants with +08:00', () => {
    expect(formatBeijing(new Date('2024-02-08T23:30:00Z'))).toBe('2024-02-09T07:30:00+08:00');
    expect(formatBeijing(new Date('2024-02-08T23:30:00.250Z'))).toBe('2024-02-09T07:30:00.250+08:00');
  });

  it('does calendar arithmetic across months, leap days and years', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('knows the day of the week (2024-02-04 was a Sunday, 2024-02-10 a Saturday)', () => {
    expect(weekdayOf('2024-02-04')).toBe(0);
    expect(weekdayOf('2024-02-10')).toBe(6);
    expect(weekdayOf('2024-02-09')).toBe(5);
  });

  it('refuses dates that do not exist', () => {
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(() => parseIsoDate('2024-13-01')).toThrow(expect.objectContaining({ code: 'calendar.invalid-date' }));
    expect(() => parseIsoDate('24-1-1')).toThrow(/not a calendar date/);
  });
});
