import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

/** The repository root (where `npm start` runs). */
export const REPO = path.resolve(__dirname, '..', '..');

/** A free TCP port of 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** A gateway process started as the README says (`npm start`), its output so far and how to stop it. */
export interface GatewayProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  terminate(): Promise<number | null>;
}

/** The environment of a clean machine: PATH and HOME only, plus `extra` (no MMGW_* unless given). */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8' };
  return { ...env, ...extra };
}

/**
 * Runs `npm start` in the repository with `env` and waits for the ready line (`mmgw: ready`);
 * fails with what it printed when it exits or takes longer than `timeoutMs`. The compiled CLI
 * (dist/, built by `npm ci` through `prepare`) must be there.
 */
export async function startGateway(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<GatewayProcess> {
  if (!fs.existsSync(path.join(REPO, 'dist', 'adapters', 'cli', 'commands', 'start.js'))) {
    throw new Error('dist/ has no `mmgw start`: run `npm ci` (or `npm run build`) first — `npm test` after `npm ci` has it');
  }
  const child = spawn('npm', ['start', '--silent'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => { out += c.toString('utf8'); });
  child.stderr!.on('data', (c: Buffer) => { err += c.toString('utf8'); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no ready line within ${timeoutMs} ms\nstdout:\n${out}\nstderr:\n${err}`)); }, timeoutMs);
    const onData = () => {
      if (/^mmgw: ready$/m.test(out)) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`npm start exited with ${code} before it was ready\nstdout:\n${out}\nstderr:\n${err}`)); });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    terminate: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
