import * as fs from 'node:fs';
import { Session } from 'node:inspector/promises';

/**
 * When `file` (BENCH_CPU_PROFILE, with the gateway process's index appended by the caller) is
 * set, starts a V8 CPU profile of this process; the returned `stop` writes it there (open it in
 * Chrome DevTools). Without a file, `stop` does nothing.
 */
export async function startProfile(file: string | undefined): Promise<() => Promise<void>> {
  if (file === undefined || file === '') return async () => {};
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}
