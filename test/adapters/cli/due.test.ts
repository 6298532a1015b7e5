import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../support/capture-io';

const firstLine = (s: string): string => s.split('\n')[0];

describe('mmgw due', () => {
  it.each([
    [['sample-report', '--from', '2024-02-08T10:00:00+08:00'], '2024-02-20T00:00:00+08:00'],
    [['sample-report', '--from', '2024-02-08T23:30:00Z'], '2024-02-21T00:00:00+08:00'],
    [['event-report', '--from', '2024-02-08T23:30:00Z', '--level', 'III'], '2024-02-09T11:30:00+08:00'],
    [['event-report', '--from', '2024-02-08T23:30:00Z', '--level', 'IV'], '2024-02-19T00:00:00+08:00'],
    [['disposal-feedback', '--from', '2024-01-15T10:00:00+08:00', '--level', 'IV'], '2024-02-11T00:00:00+08:00'],
    [['domain-disposal', '--from', '2024-01-15T10:00:00+08:00', '--level', 'I'], '2024-01-15T12:00:00+08:00'],
    [['verification', '--from', '2024-01-15T10:00:00+08:00', '--level', 'IV'], 'none'],
    [['event-notice', '--from', '2024-01-15T10:00:00+08:00'], 'none'],
  ])('%j → %s on the first line', async (args, expected) => {
    const r = await runCli('due', ...args);
    expect(r.code).toBe(0);
    expect(firstLine(r.stdout)).toBe(expected);
    expect(r.stderr).toBe('');
  });

  it('explains the rule', async () => {
    const r = await runCli('due', 'sample-report', '--from', '2024-02-08T10:00:00+08:00');
    expect(r.stdout).toContain('obligation: sample-report (Art. 9(1))');
    expect(r.stdout).toContain('rule: end of the 3rd working day after the start day (24:00 Beijing time)');
    const none = await runCli('due', 'verification', '--from', '2024-01-15T10:00:00+08:00', '--level', 'IV');
    expect(none.stdout).toContain('rule: no deadline: the mechanism sets no verification deadline for level IV');
  });

  it('warns on stderr when the result is provisional, naming the year', async () => {
    const r = await runCli('due', 'sample-report', '--from', '2026-12-30T10:00:00+08:00');
    expect(r.code).toBe(0);
    expect(firstLine(r.stdout)).toBe('2027-01-05T00:00:00+08:00');
    expect(r.stderr).toMatch(/provisional.*2027/);
  });

  it('is exact with --calendar FILE for the missing year', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmgw-due-'));
    const file = join(dir, '2027.json');
    writeFileSync(file, JSON.stringify({ year: 2027, holidays: [{ date: '2027-01-01', name: '元旦' }], workdays: [] }));
    const r = await runCli('due', 'sample-report', '--from', '2026-12-30T10:00:00+08:00', '--calendar', file);
    expect(firstLine(r.stdout)).toBe('2027-01-06T00:00:00+08:00');
    expect(r.stderr).toBe('');
  });

  it('names a malformed --calendar file and the problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmgw-due-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{"year": "next"}');
    const r = await runCli('due', 'sample-report', '--from', '2026-12-30T10:00:00+08:00', '--calendar', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`calendar file ${file}: year: must be an integer year`);
  });

  it('exits 2 naming the valid obligations', async () => {
    const r = await runCli('due', 'tax-return', '--from', '2024-01-15T10:00:00+08:00');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown obligation "tax-return"; valid choices: sample-report, .*retention/);
  });

  it('exits 2 naming the levels when one is needed', async () => {
    const r = await runCli('due', 'event-report', '--from', '2024-01-15T10:00:00+08:00');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--level: .*valid choices: I, II, III, IV/);
    const bad = await runCli('due', 'event-report', '--from', '2024-01-15T10:00:00+08:00', '--level', 'V');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--level: .*"V" .*valid choices: I, II, III, IV/);
  });

  it('exits 2 when --from is missing or has no offset', async () => {
    const missing = await runCli('due', 'sample-report');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--from is missing/);
    const local = await runCli('due', 'sample-report', '--from', '2024-02-08T10:00:00');
    expect(local.code).toBe(2);
    expect(local.stderr).toMatch(/--from: "2024-02-08T10:00:00" has no time-zone offset/);
  });
});

// The README's examples must stay true: each `$ npx mmgw …` line of the clocks section is run
// and its first output line compared with the line that follows it.
describe('README examples of the clocks section', () => {
  const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Clocks: `mmgw grade`'));
  const lines = section.split('\n');
  const examples = lines.flatMap((line, i) => (line.startsWith('$ npx mmgw ') ? [[line.slice('$ npx mmgw '.length), lines[i + 1]] as const] : []));

  it('has examples', () => expect(examples.length).toBeGreaterThanOrEqual(6));

  it.each(examples)('mmgw %s → %s', async (command, expected) => {
    const r = await runCli(...command.split(' '));
    expect(r.code).toBe(0);
    expect(firstLine(r.stdout)).toBe(expected);
  });
});
