import type { CliIo } from '../../adapters/cli/io';
import { main } from '../../adapters/cli/main';

/** A CliIo that keeps what a command printed, for in-process CLI tests. */
export function captureIo(): CliIo & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (s) => out.push(s.endsWith('\n') ? s : `${s}\n`),
    err: (s) => err.push(s.endsWith('\n') ? s : `${s}\n`),
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

/** Runs `mmgw ARGS...` in-process; returns the exit code and what it printed. */
export async function runCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIo();
  const code = await main(['node', 'mmgw', ...args], io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}
