import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtInYears } from '../../../gateway/calendar/built-in-years';
import { fromChineseDays, type ChineseDaysYear } from '../../../gateway/calendar/from-chinese-days';

// The committed data/YYYY.json must say exactly what chinese-days (the source, MIT) says.
// Regenerate with scripts/generate-calendar.ts when this fails after an upgrade.
const root = join(__dirname, '../../..');
const source = (year: number): ChineseDaysYear => JSON.parse(readFileSync(join(root, `node_modules/chinese-days/dist/years/${year}.json`), 'utf8')) as ChineseDaysYear;

describe('built-in calendar data vs chinese-days', () => {
  it.each(builtInYears().map((y) => [y.year, y] as const))('%i has the same holidays and adjusted working days', (year, data) => {
    const cd = source(year);
    expect(data.holidays.map((d) => d.date)).toEqual(Object.keys(cd.holidays).sort());
    expect(data.workdays.map((d) => d.date)).toEqual(Object.keys(cd.workdays).sort());
    for (const d of data.holidays) expect(cd.holidays[d.date].split(',')[1]).toBe(d.name);
    expect(data).toEqual(fromChineseDays(year, cd, data.source ?? ''));
  });
});
