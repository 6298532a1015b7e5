import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import express from 'express';
import type { DataSource } from 'typeorm';
import { addAccount, createConsole, html, type ConsoleApp, type ConsolePage } from '../../../../adapters/http/console';
import { TestClock } from '../../../../gateway/clock';
import { issueGatewayIdentity } from '../../../../gateway/identity';
import { obligationHooks } from '../../../../gateway/obligations';
import { seedRegistry } from '../../../../gateway/registry';
import { createDevCa } from '../../../../gateway/signing/dev-pki';
import { migrate, openStore } from '../../../../gateway/store';
import { migrations } from '../../../../migrations';
import { Browserless } from './world';

jest.setTimeout(60_000);

// The page registration API the Art. 15 pages build on (README, "Adding a page"): role checks,
// navigation, CSRF, and multipart forms with a file (the scan of a paper original).
describe('console pages registered from outside (ConsoleApp.register)', () => {
  let dir: string;
  let ds: DataSource;
  let server: Server;
  let url: string;
  let app: ConsoleApp;
  const received: { name: string; sha256: string; note: string }[] = [];

  const uploadPage: ConsolePage = {
    path: '/test-upload',
    title: { zh: '测试上传', en: 'Test upload' },
    roles: ['gateway-admin', 'clerk'],
    postRoles: ['clerk'],
    async get(c) {
      return { body: html`<form method="post" action="/console/test-upload" enctype="multipart/form-data">${c.csrfField}<input type="text" name="note"><input type="file" name="scan"></form>` };
    },
    async post(c) {
      const scan = c.files.scan;
      if (!scan) return { status: 422, body: html`<p class="error">no file</p>` };
      received.push({ name: scan.name, sha256: createHash('sha256').update(scan.bytes).digest('hex'), note: c.form.note ?? '' });
      return { redirect: c.href('/test-upload', { ok: 1 }) };
    },
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-console-pages-'));
    ds = await openStore(`sqlite:${path.join(dir, 'mmgw.sqlite')}`, { migrations });
    await migrate(ds);
    const clock = new TestClock('2026-11-28T03:00:00Z');
    await seedRegistry(ds, clock.now());
    const identity = issueGatewayIdentity(createDevCa({ now: clock.now(), keyType: 'ec' }), { now: clock.now() });
    app = createConsole({ dataSource: ds, clock, identity, hooks: obligationHooks(), maxUploadBytes: 64 * 1024 }, [uploadPage]);
    const e = express();
    e.use('/console', app.router);
    server = createServer(e);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await addAccount(ds, { username: 'clerk', password: 'clerk password 1', role: 'clerk' }, clock.now());
    await addAccount(ds, { username: 'admin', password: 'admin password 1', role: 'gateway-admin' }, clock.now());
    await addAccount(ds, { username: 'cmcc', password: 'cmcc password 1', role: 'institution-admin', institution: 'op-cmcc' }, clock.now());
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await ds.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function upload(b: Browserless, csrf: string, bytes: Buffer): Promise<Response> {
    const form = new FormData();
    form.set('_csrf', csrf);
    form.set('note', '纸质原件');
    form.set('scan', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), 'scan.pdf');
    return fetch(`${url}/console/test-upload`, { method: 'POST', body: form, redirect: 'manual', headers: { cookie: `mmgw_console=${b.cookie('mmgw_console')}` } });
  }

  it('refuses a second page on a path, and the paths of sign-in and assets', () => {
    expect(() => app.register({ ...uploadPage })).toThrow('registered already');
    expect(() => app.register({ ...uploadPage, path: '/login' })).toThrow('must start with /');
  });

  it('lists the page in the navigation of the roles that may open it only, and refuses the others 403', async () => {
    const clerk = new Browserless(url);
    await clerk.signIn('clerk', 'clerk password 1');
    expect((await clerk.get('/console/registry')).body).toContain('<a href="/console/test-upload">测试上传</a>');
    const cmcc = new Browserless(url);
    await cmcc.signIn('cmcc', 'cmcc password 1');
    expect((await cmcc.get('/console/registry')).body).not.toContain('/console/test-upload');
    expect((await cmcc.get('/console/test-upload')).status).toBe(403);
  });

  it('hands a multipart form\'s fields and file to the page after the CSRF check; a forged token or a role without postRoles never reaches it', async () => {
    const clerk = new Browserless(url);
    await clerk.signIn('clerk', 'clerk password 1');
    const csrf = Browserless.csrf(await clerk.get('/console/test-upload'));
    const bytes = Buffer.from('%PDF-1.4 a scanned paper original\n');
    const ok = await upload(clerk, csrf, bytes);
    expect(ok.status).toBe(303);
    expect(received).toEqual([{ name: 'scan.pdf', sha256: createHash('sha256').update(bytes).digest('hex'), note: '纸质原件' }]);
    const forged = await upload(clerk, 'forged', bytes);
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('未做任何更改');
    const admin = new Browserless(url);
    await admin.signIn('admin', 'admin password 1');
    const adminCsrf = Browserless.csrf(await admin.get('/console/test-upload'));
    expect((await upload(admin, adminCsrf, bytes)).status).toBe(403);
    const tooLarge = await upload(clerk, csrf, Buffer.alloc(65 * 1024, 1));
    expect(tooLarge.status).toBe(413);
    expect(received).toHaveLength(1);
  });
});
