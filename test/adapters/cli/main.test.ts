import { buildProgram } from '../../../adapters/cli/main';
import { runCli } from '../../support/capture-io';

describe('mmgw CLI', () => {
  it('prints help and exits 0', async () => {
    const r = await runCli('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: mmgw/);
  });

  it('exits 2 on an unknown command', async () => {
    const r = await runCli('no-such-command');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--help/);
  });

  it('has a description and --help on every command', async () => {
    const program = buildProgram({ io: { out: () => undefined, err: () => undefined }, exitCode: 0 });
    for (const cmd of program.commands) {
      expect(cmd.description()).not.toBe('');
      const r = await runCli(cmd.name(), '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: mmgw ${cmd.name()}`);
    }
  });
});
