import { runCli } from '../../support/capture-io';

const firstLine = (s: string): string => s.split('\n')[0];

describe('mmgw grade', () => {
  it.each([
    [['--loss-yuan', '1000000', '--infected-24h', '10000'], 'IV'],
    [['--loss-yuan', '1000000.01', '--infected-24h', '0'], 'III'],
    [['--loss-yuan', '0', '--infected-24h', '50001'], 'II'],
    [['--loss-yuan', '0', '--infected-24h', '100001'], 'I'],
    [['--loss-yuan', '10000000.01', '--infected-24h', '0', '--at', '2024-02-09T10:00:00+08:00'], 'I'],
  ])('%j → %s on the first line', async (args, level) => {
    const r = await runCli('grade', ...args);
    expect(r.code).toBe(0);
    expect(firstLine(r.stdout)).toBe(level);
    expect(r.stderr).toBe('');
  });

  it('explains the level after the first line', async () => {
    const r = await runCli('grade', '--loss-yuan', '1000000.01', '--infected-24h', '0', '--at', '2024-02-09T10:00:00+08:00');
    expect(r.stdout).toContain('level III 较大 (relatively serious) by the Art. 8 thresholds version 1, in force at 2024-02-09T10:00:00+08:00');
    expect(r.stdout).toContain('loss 1000000.01 yuan is more than 1000000');
  });

  it.each([
    [['--loss-yuan', '-5', '--infected-24h', '0'], /--loss-yuan: "-5" \(negative\) is not a loss in yuan; give a non-negative number/],
    [['--loss-yuan', 'lots', '--infected-24h', '0'], /--loss-yuan: "lots" is not a loss in yuan/],
    [['--loss-yuan', '0', '--infected-24h', '-1'], /--infected-24h: "-1" \(negative\) is not a number of infected phone numbers; give a whole number, 0 or more/],
    [['--loss-yuan', '0', '--infected-24h', '2.5'], /--infected-24h: "2.5"/],
    [['--infected-24h', '0'], /--loss-yuan is missing/],
    [['--loss-yuan', '0'], /--infected-24h is missing/],
    [['--loss-yuan', '0', '--infected-24h', '0', '--at', '2024-02-09T10:00:00'], /--at: .* has no time-zone offset/],
  ])('%j → exit 2 saying which option and why', async (args, message) => {
    const r = await runCli('grade', ...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('has --help', async () => {
    const r = await runCli('grade', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--loss-yuan <yuan>');
    expect(r.stdout).toContain('--infected-24h <count>');
  });
});
