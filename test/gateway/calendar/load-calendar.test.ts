import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calendarFromEnvironment, loadCalendar, loadCalendarFile } from '../../../gateway/calendar/load-calendar';

const dir = mkdtempSync(join(tmpdir(), 'mmgw-calendar-'));
const write = (name: string, content: unknown): string => {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};

const year2027 = {
  year: 2027,
  source: 'test schedule',
  holidays: [{ date: '2027-01-01', name: '元旦', nameEn: "New Year's Day" }],
  workdays: [{ date: '2027-01-03', name: '元旦' }],
};

describe('administrator-supplied calendar years', () => {
  it('loads a further year from a file', () => {
    const file = write('2027.json', year2027);
    const cal = loadCalendar({ files: [file] });
    expect(cal.day('2027-01-01')).toMatchObject({ kind: 'holiday', provisional: false });
    expect(cal.day('2027-01-03')).toMatchObject({ kind: 'adjusted-workday', working: true });
    expect(cal.nthWorkingDayAfter('2026-12-31', 1)).toEqual({ value: '2027-01-03', provisional: false, missingYears: [] });
  });

  it('loads every *.json of MMGW_CALENDAR_DIR', () => {
    const sub = mkdtempSync(join(tmpdir(), 'mmgw-calendar-dir-'));
    writeFileSync(join(sub, '2027.json'), JSON.stringify(year2027));
    writeFileSync(join(sub, 'README.txt'), 'not a year');
    const cal = calendarFromEnvironment({ MMGW_CALENDAR_DIR: sub });
    expect(cal.hasYear(2027)).toBe(true);
    expect(calendarFromEnvironment({}).hasYear(2027)).toBe(false);
  });

  it('names the file and the problem when it is not JSON', () => {
    const file = write('broken.json', '{"year": 2027, ');
    expect(() => loadCalendarFile(file)).toThrow(expect.objectContaining({ code: 'calendar.bad-file', message: expect.stringMatching(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON`)) }));
  });

  it('names the file when it cannot be read', () => {
    expect(() => loadCalendarFile(join(dir, 'absent.json'))).toThrow(/absent\.json: cannot be read \(ENOENT\)/);
  });

  it('reports every problem of a malformed year at once, with its path', () => {
    const file = write('bad.json', {
      year: 2027,
      extra: true,
      holidays: [{ date: '2027-02-30', name: '春节' }, { date: '2028-01-01', name: '元旦' }, { date: '2027-05-01', name: '' }],
      workdays: [{ date: '2027-01-04', name: '元旦' }],
    });
    let message = '';
    try {
      loadCalendarFile(file);
    } catch (e) {
      message = (e as Error).message;
      expect(e).toMatchObject({ code: 'calendar.bad-file', facts: { file } });
    }
    expect(message).toContain(file);
    expect(message).toContain('extra: unknown key');
    expect(message).toContain('holidays[0].date: must be a date YYYY-MM-DD, got "2027-02-30"');
    expect(message).toContain('holidays[1].date: 2028-01-01 is not in the file\'s year 2027');
    expect(message).toContain('holidays[2].name: must be a non-empty string');
    expect(message).toContain('workdays[0].date: 2027-01-04 is a weekday');
  });

  it('refuses a year that is not an integer, missing lists, and a day both off and on', () => {
    expect(() => loadCalendarFile(write('y.json', { year: '2027', holidays: [], workdays: [] }))).toThrow(/year: must be an integer year/);
    expect(() => loadCalendarFile(write('l.json', { year: 2027 }))).toThrow(/holidays: must be an array.*workdays: must be an array/);
    expect(() => loadCalendarFile(write('a.json', []))).toThrow(/top level must be an object/);
    expect(() =>
      loadCalendarFile(write('b.json', { year: 2027, holidays: [{ date: '2027-01-02', name: '元旦' }], workdays: [{ date: '2027-01-02', name: '元旦' }] })),
    ).toThrow(/workdays\[0\]\.date: 2027-01-02 is also listed as a holiday/);
  });

  it('names an unreadable MMGW_CALENDAR_DIR', () => {
    expect(() => calendarFromEnvironment({ MMGW_CALENDAR_DIR: join(dir, 'no-such-dir') })).toThrow(expect.objectContaining({ code: 'calendar.bad-dir', message: expect.stringContaining('MMGW_CALENDAR_DIR') }));
  });
});
