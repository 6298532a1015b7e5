import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { request } from 'node:https';
import { Command } from 'commander';
import { createConsoleUserCommand } from '../../../adapters/cli/commands/console-user';
import { consoleUserHint, createStartCommand, READY_LINE } from '../../../adapters/cli/commands/start';
import { readGatewayConfig } from '../../../gateway/config';
import { systemClock } from '../../../gateway/clock';
import { captureIo } from '../../support/capture-io';
import { freePort } from '../../support/ports';
import { Browserless } from '../http/console/world';
import { runModule } from './gateway-world';

jest.setTimeout(120_000);

/** `mmgw start` in this process with `env`, its output readable while it runs; `stop` sends SIGTERM and waits for the exit code. */
async function start(env: NodeJS.ProcessEnv): Promise<{ stdout: () => string; stderr: () => string; stop: () => Promise<number> }> {
  const io = captureIo();
  const ctx = { io, exitCode: -1 };
  const program = new Command('mmgw').exitOverride();
  createStartCommand(env, systemClock).register(program, ctx);
  let failed: unknown;
  const done = program.parseAsync(['node', 'mmgw', 'start']).catch((e: unknown) => { failed = e; });
  for (let i = 0; i < 1500 && !io.stdout().includes(READY_LINE) && failed === undefined; i += 1) await new Promise((r) => setTimeout(r, 20));
  if (failed !== undefined) throw failed;
  expect(io.stdout()).toContain(READY_LINE);
  return {
    stdout: io.stdout, stderr: io.stderr,
    async stop() {
      process.emit('SIGTERM', 'SIGTERM');
      await done;
      return ctx.exitCode;
    },
  };
}

/** A GET without any client certificate, the server certificate not checked (a browser that accepted the dev certificate). */
function plainGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { rejectUnauthorized: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    }).on('error', reject).end();
  });
}

// Issue 8: `npm start` (mmgw start) serves the administrators' console at /console with the dev
// PKI's server certificate; a browser without a client certificate reaches the sign-in page; the
// first start says how to create the first account, and that command works.
describe('mmgw start serves the console', () => {
  let dir: string;
  beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-start-console-')); });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('mounts /console, hints at mmgw console-user while there is no account, and signs an account created that way in over HTTPS with a CSRF token', async () => {
    const port = await freePort();
    const dataDir = path.join(dir, 'data');
    const env = { MMGW_DATA_DIR: dataDir, MMGW_LISTEN: `127.0.0.1:${port}` };
    const url = `https://127.0.0.1:${port}`;
    const run = await start(env);
    try {
      expect(run.stdout()).toContain(`mmgw: administrators' console on ${url}/console/ (sign in with a console account, or an institution's client certificate)`);
      const hint = run.stdout().split('\n').find((l) => l.startsWith('mmgw: no console account yet'));
      // The data directory is not ./data of this process: the hint names the SQLite file for mmgw console-user.
      const sqlite = path.join(dataDir, 'mmgw.sqlite');
      expect(hint).toBe(`mmgw: no console account yet; create the first one from another terminal (the password is asked twice): MMGW_DATABASE_URL=sqlite:${sqlite} npx mmgw console-user add admin --role gateway-admin`);

      // No client certificate: the TLS server asks for one but does not insist; the console answers.
      const root = await plainGet(`${url}/console/`);
      expect(root.status).toBe(303);
      const form = await plainGet(`${url}/console/login`);
      expect(form.status).toBe(200);
      expect(form.body).toContain('name="_csrf"');
      // The API still wants the certificate.
      expect((await plainGet(`${url}/v1/mailbox`)).status).toBe(401);

      // The hint's command, as printed (the password from stdin).
      const words = hint!.split(': ').slice(2).join(': ').split(' ');
      const dbUrl = words[0]!.replace(/^MMGW_DATABASE_URL=/, '');
      expect(words.slice(1, 3)).toEqual(['npx', 'mmgw']);
      const added = await runModule(createConsoleUserCommand({ MMGW_DATABASE_URL: dbUrl }, async () => 'first admin password'), ...words.slice(3));
      expect(added).toMatchObject({ code: 0, stdout: 'added admin (gateway-admin)\n' });

      const browser = new Browserless(url);
      const signedIn = await browser.signIn('admin', 'first admin password');
      expect([signedIn.status, signedIn.headers.location]).toEqual([303, '/console/']);
      const registry = await browser.get('/console/registry');
      expect(registry.status).toBe(200);
      expect(registry.body).toContain('op-cmcc');
      expect(registry.body).toContain('cncert');
    } finally {
      expect(await run.stop()).toBe(0);
    }

    // A later start with an account: no hint.
    const again = await start(env);
    try {
      expect(again.stdout()).toContain('/console/');
      expect(again.stdout()).not.toContain('no console account yet');
    } finally {
      expect(await again.stop()).toBe(0);
    }
  });

  it('MMGW_CONSOLE=off mounts no console and prints no console line', async () => {
    const port = await freePort();
    const run = await start({ MMGW_DATA_DIR: path.join(dir, 'off'), MMGW_LISTEN: `127.0.0.1:${port}`, MMGW_CONSOLE: 'off' });
    try {
      expect(run.stdout()).not.toContain('administrators\' console');
      expect(run.stdout()).not.toContain('console-user');
      const r = await plainGet(`https://127.0.0.1:${port}/console/login`);
      expect(r.status).toBe(404);
      expect(r.body).toContain('http.not-found');
    } finally {
      expect(await run.stop()).toBe(0);
    }
  });

  it('the hint names no file for the default ./data and never echoes a MySQL URL', () => {
    expect(consoleUserHint(readGatewayConfig({}, '/srv/mmgw'), '/srv/mmgw')).toMatch(/: npx mmgw console-user add admin --role gateway-admin$/);
    const mysql = consoleUserHint(readGatewayConfig({ MMGW_DATABASE_URL: 'mysql://mmgw:s3cret@db:3306/mmgw' }, '/srv/mmgw'), '/srv/mmgw');
    expect(mysql).toMatch(/: with the same MMGW_DATABASE_URL: npx mmgw console-user add admin --role gateway-admin$/);
    expect(mysql).not.toContain('s3cret');
  });
});
