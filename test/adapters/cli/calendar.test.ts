import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCalendarCommand } from '../../../adapters/cli/commands/calendar';
import { Command } from 'commander';
import { runCli } from '../../support/capture-io';

describe('mmgw calendar', () => {
  it('lists the holidays and adjusted working days of a year', async () => {
    const r = await runCli('calendar', '2024');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PRC working-day calendar 2024/);
    expect(r.stdout).toMatch(/2024-02-10 Sat – 2024-02-17 Sat\s+春节 Spring Festival \(8 days\)/);
    expect(r.stdout).toMatch(/2024-01-01 Mon\s+元旦 New Year's Day \(1 day\)/);
    expect(r.stdout).toMatch(/Adjusted working days[^]*2024-02-04 Sun\s+春节 Spring Festival[^]*2024-02-18 Sun\s+春节/);
  });

  it('prints the calendar file format with --json', async () => {
    const r = await runCli('calendar', '2020', '--json');
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout) as { year: number; holidays: Array<{ date: string; name: string }> };
    expect(data.year).toBe(2020);
    expect(data.holidays).toContainEqual({ date: '2020-02-02', name: '春节', nameEn: 'Spring Festival' });
  });

  it('says clearly when the year is beyond the data (exit 1)', async () => {
    const r = await runCli('calendar', '2027');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no data for 2027 \(it has 2012–2026\).*--calendar FILE or MMGW_CALENDAR_DIR/);
  });

  it('refuses what is not a year (exit 2)', async () => {
    const r = await runCli('calendar', 'next');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/YEAR: "next" is not a year/);
  });

  it('shows a year from MMGW_CALENDAR_DIR', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmgw-cal-'));
    writeFileSync(join(dir, '2027.json'), JSON.stringify({ year: 2027, holidays: [{ date: '2027-01-01', name: '元旦', nameEn: "New Year's Day" }], workdays: [] }));
    const out: string[] = [];
    const ctx = { io: { out: (s: string) => out.push(s), err: () => undefined }, exitCode: 0 };
    const program = new Command('mmgw').exitOverride();
    createCalendarCommand({ MMGW_CALENDAR_DIR: dir }).register(program, ctx);
    await program.parseAsync(['node', 'mmgw', 'calendar', '2027']);
    expect(out.join('\n')).toMatch(/2027-01-01 Fri\s+元旦 New Year's Day \(1 day\)[^]*none/);
  });
});
