import { calendar, result } from './helpers';
import { formatBeijing } from '../../../gateway/calendar/beijing-time';

// rules.md "Working-day calendar": past the data, days are counted Monday–Friday and the result
// is flagged provisional, naming the missing year — never a silent guess.
describe('provisional deadlines past the calendar data', () => {
  it('flags a count that crosses into 2027', () => {
    const r = result('sample-report', '2026-12-30T10:00:00+08:00');
    expect(r.due && formatBeijing(r.due)).toBe('2027-01-05T00:00:00+08:00');
    expect(r.provisional).toBe(true);
    expect(r.missingYears).toEqual([2027]);
    expect(r.warnings.join('\n')).toMatch(/provisional: .*no data for 2027/);
  });

  it('is not provisional when the count stays inside the data', () => {
    const r = result('sample-report', '2026-12-25T10:00:00+08:00');
    expect(r).toMatchObject({ provisional: false, missingYears: [], warnings: [] });
  });

  it('hour and monthly deadlines never need the calendar', () => {
    expect(result('event-report', '2027-06-01T10:00:00+08:00', 'I').provisional).toBe(false);
    expect(result('monthly-general-summary', '2027-06-01T10:00:00+08:00').provisional).toBe(false);
  });

  it('is exact once the year is supplied', () => {
    const with2027 = calendar.withYears([{ year: 2027, holidays: [{ date: '2027-01-01', name: '元旦' }], workdays: [] }]);
    const r = result('sample-report', '2026-12-30T10:00:00+08:00', undefined, { calendar: with2027 });
    expect(r.due && formatBeijing(r.due)).toBe('2027-01-06T00:00:00+08:00');
    expect(r.provisional).toBe(false);
  });
});
