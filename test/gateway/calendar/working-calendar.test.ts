import { builtInYears } from '../../../gateway/calendar/built-in-years';
import { WorkingCalendar } from '../../../gateway/calendar/working-calendar';

const calendar = new WorkingCalendar(builtInYears());

describe('WorkingCalendar (built-in 2012–2026)', () => {
  it('covers 2012 through 2026', () => {
    expect(calendar.years()).toEqual([2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]);
  });

  // 国办发明电〔2023〕7号: Spring Festival 2024-02-10..17 off; Sun 02-04 and Sun 02-18 worked.
  it('has the 2024 Spring Festival off with its name', () => {
    for (let d = 10; d <= 17; d += 1) {
      const day = calendar.day(`2024-02-${d}`);
      expect(day).toMatchObject({ kind: 'holiday', working: false, name: '春节', nameEn: 'Spring Festival', provisional: false });
    }
    expect(calendar.day('2024-02-09')).toMatchObject({ kind: 'workday', working: true });
  });

  it('has the 2024 adjusted working Sundays 02-04 and 02-18', () => {
    expect(calendar.day('2024-02-04')).toMatchObject({ kind: 'adjusted-workday', working: true, name: '春节' });
    expect(calendar.day('2024-02-18')).toMatchObject({ kind: 'adjusted-workday', working: true, name: '春节' });
    expect(calendar.day('2024-02-25')).toMatchObject({ kind: 'weekend', working: false });
  });

  // 国办发明电〔2020〕1号 extended the 2020 Spring Festival to 2 February.
  it('has the 2020 Spring Festival extension to 2020-02-02', () => {
    expect(calendar.day('2020-01-31')).toMatchObject({ kind: 'holiday', name: '春节' });
    expect(calendar.day('2020-02-02')).toMatchObject({ kind: 'holiday', name: '春节' });
    expect(calendar.day('2020-02-03')).toMatchObject({ kind: 'workday', working: true });
  });

  it('has the one-off 2015-09-03 victory anniversary holiday and National Day 2026', () => {
    expect(calendar.day('2015-09-03')).toMatchObject({ kind: 'holiday', working: false });
    expect(calendar.day('2026-10-01')).toMatchObject({ kind: 'holiday', name: '国庆节' });
    expect(calendar.day('2026-10-10')).toMatchObject({ kind: 'adjusted-workday', working: true });
  });

  it('counts working days over the Spring Festival', () => {
    // Friday 2024-02-09: next working days are Sun 02-18 (adjusted), Mon 02-19, Tue 02-20.
    expect(calendar.nthWorkingDayAfter('2024-02-09', 1)).toEqual({ value: '2024-02-18', provisional: false, missingYears: [] });
    expect(calendar.nthWorkingDayAfter('2024-02-09', 3).value).toBe('2024-02-20');
    // Thursday 2024-02-01: Fri 02-02, Sun 02-04 (adjusted), Mon 02-05.
    expect(calendar.nthWorkingDayAfter('2024-02-01', 3).value).toBe('2024-02-05');
  });

  it('counts into a year without data Monday–Friday and flags it provisional, naming the year', () => {
    // Thursday 2026-12-31 + 1 wd: Friday 2027-01-01 is counted as working, but 2027 has no data.
    const r = calendar.nthWorkingDayAfter('2026-12-31', 1);
    expect(r).toEqual({ value: '2027-01-01', provisional: true, missingYears: [2027] });
    expect(calendar.day('2027-01-02')).toMatchObject({ kind: 'weekend', provisional: true });
    expect(calendar.nthWorkingDayAfter('2026-12-30', 1)).toEqual({ value: '2026-12-31', provisional: false, missingYears: [] });
  });

  it('refuses a year without data when the year itself is asked for', () => {
    expect(() => calendar.year(2027)).toThrow(expect.objectContaining({ code: 'calendar.missing-year', message: expect.stringContaining('2027') }));
    expect(calendar.year(2024).holidays[0]).toEqual({ date: '2024-01-01', name: '元旦', nameEn: "New Year's Day" });
  });

  it('lets added years replace the built-in ones and fill missing ones', () => {
    const more = calendar.withYears([{ year: 2027, holidays: [{ date: '2027-01-01', name: '元旦' }], workdays: [] }]);
    expect(more.nthWorkingDayAfter('2026-12-31', 1)).toEqual({ value: '2027-01-04', provisional: false, missingYears: [] });
    expect(calendar.hasYear(2027)).toBe(false);
  });
});
