import { spawnSync } from 'node:child_process';

/**
 * Whether an external tool the interop tests compare mmgw with is installed (by
 * `.ci/setup-signing.sh`). In CI (`CI` set) a missing tool fails the suite; elsewhere the suite
 * is skipped and says so loudly, so a developer without the tool is not blocked but not fooled.
 */
export function toolAvailable(name: string, probe: readonly string[]): boolean {
  const r = spawnSync(probe[0]!, probe.slice(1), { encoding: 'utf8' });
  if (r.status === 0) return true;
  const why = `${name} is not installed (\`${probe.join(' ')}\` failed: ${r.error?.message ?? r.stderr.trim()}); run .ci/setup-signing.sh`;
  if (process.env.CI) throw new Error(`CI: ${why}`);
  console.warn(`\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n!!! SKIPPED: the ${name} interop tests did NOT run: ${why}\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n`);
  return false;
}

/** The Debian python that has python3-jwcrypto (a pyenv python on PATH would not). */
export const DEBIAN_PYTHON = '/usr/bin/python3';
