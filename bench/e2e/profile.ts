import * as fs from 'node:fs';
import { Session } from 'node:inspector/promises';

/**
 * When BENCH_CPU_PROFILE names a file, a V8 CPU profile of `fn` alone (the timed phases, not the
 * signing before them) is written there (open it in Chrome DevTools); otherwise just runs `fn`.
 */
export async function profiled<T>(fn: () => Promise<T>, file = process.env.BENCH_CPU_PROFILE): Promise<T> {
  if (file === undefined || file === '') return fn();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}
