import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Browserless } from '../adapters/http/console/world';
import { cleanEnv, freePort, REPO, startGateway } from './gateway-process';

jest.setTimeout(180_000);

/** Runs the built CLI (`bin/mmgw.js`, what `npx mmgw` runs) with `stdin` as its input. */
function mmgw(args: readonly string[], env: NodeJS.ProcessEnv, stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO, 'bin', 'mmgw.js'), ...args], { cwd: REPO, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString('utf8'); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

// Issue 8: the console as a user meets it — `npm start` on a clean machine prints where the
// console is and how to create its first account; that line, run as printed, makes an account
// that signs in over HTTPS (dev server certificate, no client certificate) and sees the registry.
describe('npm start serves the administrators\' console', () => {
  let dir: string;
  beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-e2e-console-')); });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints the console URL and the first-account line; that line works; the account signs in and opens the registry', async () => {
    const port = await freePort();
    const dataDir = path.join(dir, 'data');
    const gw = await startGateway(cleanEnv({ MMGW_DATA_DIR: dataDir, MMGW_LISTEN: `127.0.0.1:${port}` }));
    try {
      const url = `https://127.0.0.1:${port}`;
      expect(gw.stdout()).toContain(`mmgw: administrators' console on ${url}/console/`);
      const hint = gw.stdout().split('\n').find((l) => l.startsWith('mmgw: no console account yet'));
      const m = /: MMGW_DATABASE_URL=(\S+) npx mmgw (console-user add admin --role gateway-admin)$/.exec(hint ?? '');
      expect(m).not.toBeNull();
      expect(m![1]).toBe(`sqlite:${path.join(dataDir, 'mmgw.sqlite')}`);
      const added = await mmgw(m![2]!.split(' '), cleanEnv({ MMGW_DATABASE_URL: m![1]! }), 'an e2e admin password\n');
      expect(added).toMatchObject({ code: 0, stdout: 'added admin (gateway-admin)\n' });

      const browser = new Browserless(url);
      expect((await browser.get('/console/login')).status).toBe(200);
      const signedIn = await browser.signIn('admin', 'an e2e admin password');
      expect([signedIn.status, signedIn.headers.location]).toEqual([303, '/console/']);
      const registry = await browser.get('/console/registry');
      expect(registry.status).toBe(200);
      expect(registry.body).toContain('op-cmcc');
    } finally {
      expect(await gw.terminate()).toBe(0);
    }
  });
});
