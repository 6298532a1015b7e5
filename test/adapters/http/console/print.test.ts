import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { addAccount, consoleOf } from '../../../../adapters/http/console';
import { AuditEntryEntity } from '../../../../gateway/store';
import { ANNEX_FORMS, ANNEX_TITLES, submitExample } from '../../print/stored-messages';
import { ACCOUNTS, Browserless, openConsoleWorld, type ConsoleWorld } from './world';

jest.setTimeout(120_000);

// Issue 8, item 2: any message printed as its official form from a print-ready page of the console.
// A real gateway core (SQLite, dev PKI, intake) holds the signed messages; the console reads the
// exact signed bytes back, decodes them and prints them.
describe('console: print a message as its official form', () => {
  let w: ConsoleWorld;
  const ids: Record<string, string> = {};
  let contactUpdate: string;

  const signedIn = async (who: keyof typeof ACCOUNTS): Promise<Browserless> => {
    const b = new Browserless(w.url);
    const r = await b.signIn(ACCOUNTS[who].username, ACCOUNTS[who].password);
    expect(r.status).toBe(303);
    return b;
  };
  const printUrl = (id: string) => `/console/messages/${encodeURIComponent(id)}/print`;

  beforeAll(async () => {
    w = await openConsoleWorld();
    // A case in the order of the mechanism, XML and JSON alternately; the report's summary carries markup.
    for (const [i, type] of ANNEX_FORMS.entries()) {
      ids[type] = await submitExample(w.gateway, type, i % 2 === 0 ? 'xml' : 'json', (d) => {
        if (type === 'IncidentReport') d.body.summary = '恶意程序 <img src=x onerror=alert(1)> 伪装成系统更新传播';
      });
    }
    contactUpdate = await submitExample(w.gateway, 'ContactUpdate', 'json');
  });
  afterAll(async () => { await w?.close(); });

  it.each(ANNEX_FORMS.map((f) => [f]))('prints %s with its annex number and title, as a whole A4 document with a print button print media hide', async (type) => {
    const b = await signedIn('admin');
    const r = await b.get(printUrl(ids[type]!));
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    const [annex, title] = ANNEX_TITLES[type].split(' ');
    expect(r.body).toContain(`<p class="annex-no" id="annex-no">${annex}</p><h1 id="form-title">${title}</h1>`);
    expect(r.body).toMatch(/@page\{size:A4 (portrait|landscape);/);
    expect(r.body).not.toContain('<header>'); // not the console layout
    expect(r.body).toContain('<button type="button" id="print-button">打印</button>');
    expect(r.body).toContain('@media print{.screen-only{display:none!important}}');
    // The footer states the stored message's facts.
    expect(r.body).toContain(`<tr id="stmt-id"><th scope="row">报文编号</th><td><code>${ids[type]}</code></td></tr>`);
    // Its own CSP: the inline style and the button's script by hash, nothing else.
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'; script-src 'sha256-[A-Za-z0-9+/=]+';/);
    expect(csp).not.toContain('unsafe-inline');
  });

  it('prints the values of the signed bytes, escaped, with the SHA-256 and the signer\'s certificate', async () => {
    const b = await signedIn('auditor');
    const r = await b.get(printUrl(ids.IncidentReport!));
    expect(r.status).toBe(200);
    expect(r.body).toContain('恶意程序 &lt;img src=x onerror=alert(1)&gt; 伪装成系统更新传播');
    expect(r.body).not.toContain('<img src=x');
    expect(r.body).toContain('（报送单位：中国移动通信集团有限公司）');
    expect(r.body).toContain('报：工业和信息化部网络安全管理局<span class="code">（miit）</span>');
    expect(r.body).toContain('a.expense.GhostPush.a');
    const trace = await b.get(`/console/trace?message=${ids.IncidentReport}`);
    const hash = /<code>([0-9a-f]{64})<\/code>/.exec(trace.body)![1]!;
    expect(r.body).toContain(`<tr id="stmt-hash"><th scope="row">签名报文 SHA-256</th><td><code>${hash}</code>`);
    expect(r.body).toMatch(/签名方式<\/th><td>XML-DSig/);
    expect(r.body).toMatch(/签名证书<\/th><td>[^<]*CN=op-cmcc；序列号 <code>[0-9A-F]+<\/code>；签发者 [^<]*CN=mmgw dev CA/);
    const jws = await b.get(printUrl(ids.SampleIdentification!));
    expect(jws.body).toMatch(/签名方式<\/th><td>JWS/);
    expect(jws.body).toMatch(/签名证书<\/th><td>[^<]*CN=cncert；/);
  });

  it('prints a message without an annex as a generic form with its Chinese name', async () => {
    const b = await signedIn('admin');
    const r = await b.get(printUrl(contactUpdate));
    expect(r.status).toBe(200);
    expect(r.body).toContain('<h1 id="form-title">移动互联网恶意程序监测和处置工作联系人变更报送</h1>');
    expect(r.body).toContain('主管领导');
  });

  it('lets the sender\'s and the recipients\' users print; anyone else gets the same 404 as an unknown id', async () => {
    const report = ids.IncidentReport!; // op-cmcc → miit, cc ca-11, ca-44, cncert
    const notice = ids.IncidentNotice!; // cncert → op-cmcc, op-cucc, op-ctcc
    const cmcc = await signedIn('cmcc');
    expect((await cmcc.get(printUrl(report))).status).toBe(200);
    expect((await cmcc.get(printUrl(notice))).status).toBe(200);
    const cucc = await signedIn('cucc');
    expect((await cucc.get(printUrl(notice))).status).toBe(200);
    const refused = await cucc.get(printUrl(report));
    const unknown = await cucc.get(printUrl('op-cmcc-20991231-none'));
    expect(refused.status).toBe(404);
    expect(unknown.status).toBe(404);
    const strip = (body: string, id: string) => body.split(id).join('ID');
    expect(strip(refused.body, report)).toBe(strip(unknown.body, 'op-cmcc-20991231-none'));
    expect(refused.body).toContain('[console.not-found]');
    // A clerk reads every trace and handles the Art. 15 paper: it may print any message.
    expect((await (await signedIn('clerk')).get(printUrl(report))).status).toBe(200);
    // A clerk who works for an institution is scoped to it (as on the trace page): not op-cmcc's report.
    await addAccount(w.gateway.dataSource, { username: 'cucc-clerk', password: 'cucc clerk password 5', role: 'clerk', institution: 'op-cucc' }, new Date());
    const cuccClerk = new Browserless(w.url);
    expect((await cuccClerk.signIn('cucc-clerk', 'cucc clerk password 5')).status).toBe(303);
    expect((await cuccClerk.get(printUrl(notice))).status).toBe(200);
    expect((await cuccClerk.get(printUrl(report))).status).toBe(404);
    expect((await cuccClerk.get(`/console/trace?message=${report}`)).status).toBe(403);
    expect((await (await signedIn('admin')).get(printUrl('op-cmcc-20991231-none'))).status).toBe(404);
    // The PDF route answers the same before it starts any browser.
    expect((await cucc.get(`${printUrl(report)}.pdf`)).status).toBe(404);
    // Not signed in: to the sign-in page.
    const anonymous = await new Browserless(w.url).get(printUrl(report));
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe('/console/login');
  });

  it('audits every print and every refusal under the message id', async () => {
    const id = ids.DisposalFeedback!;
    await (await signedIn('cmcc')).get(printUrl(id));
    await (await signedIn('cucc')).get(printUrl(id)); // DisposalFeedback op-cmcc → cncert: not op-cucc's
    const entries = await w.gateway.dataSource.manager.find(AuditEntryEntity, { where: { subject: id, kind: 'console' }, order: { seq: 'ASC' } });
    const facts = entries.map((e): Record<string, unknown> => ({ ...(JSON.parse(e.details) as Record<string, unknown>), actor: e.actor }));
    // The administrator printed it in the first test; then op-cmcc (its sender) and op-cucc (refused).
    expect(facts.filter((f) => f.actor !== ACCOUNTS.admin.username).map((f) => [f.actor, f.action, f.format, f.type ?? f.code])).toEqual([
      [ACCOUNTS.cmcc.username, 'print', 'html', 'DisposalFeedback'],
      [ACCOUNTS.cucc.username, 'print-refused', 'html', 'console.not-found'],
    ]);
  });

  it('links the message trace to the print page, for those who may print it', async () => {
    const b = await signedIn('cmcc');
    const trace = await b.get(`/console/trace?message=${ids.IncidentReport}`);
    expect(trace.body).toContain(`<a id="print" href="${printUrl(ids.IncidentReport!)}">打印（正式表格，可另存为 PDF）</a>`);
    // A clerk sees every trace and may print any message: the link is there too.
    const clerk = await (await signedIn('clerk')).get(`/console/trace?message=${ids.IncidentReport}`);
    expect(clerk.status).toBe(200);
    expect(clerk.body).toContain('id="print"');
    // An institution's user sees no link to a message that is not its institution's (the page would be a 404).
    const cucc = await (await signedIn('cucc')).get(`/console/trace?message=${ids.IncidentReport}`);
    expect(cucc.body).not.toContain('id="print"');
  });

  it('routes /messages/:id/print by its one path segment: a malformed %-escape or an extra segment is no page (404)', async () => {
    const b = await signedIn('admin');
    expect((await b.get('/console/messages/%E0%A4%A/print')).status).toBe(404);
    expect((await b.get(`/console/messages/${ids.IncidentReport}/x/print`)).status).toBe(404);
    expect((await b.get(`/console/messages/${encodeURIComponent(ids.IncidentReport!)}/print`)).status).toBe(200);
    // A page with a :name segment cannot be in the navigation (it has no URL of its own).
    expect(() => consoleOf(w.gateway).register({ path: '/things/:id', title: { zh: '物', en: 'Thing' }, roles: ['gateway-admin'] })).toThrow(/give it nav: false/);
  });

  it('answers the PDF route 503 console.pdf-unavailable, pointing to the print page, when there is no Chromium', async () => {
    const app = express();
    app.use('/console', consoleOf(w.gateway, [], { chromiumPath: '/nonexistent/chromium' }).router);
    const server: Server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const b = new Browserless(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      await b.signIn(ACCOUNTS.cmcc.username, ACCOUNTS.cmcc.password);
      const r = await b.get(`${printUrl(ids.IncidentReport!)}.pdf`);
      expect(r.status).toBe(503);
      expect(r.headers['content-type']).toMatch(/^text\/html/);
      expect(r.body).toContain('headless Chromium is not installed at /nonexistent/chromium');
      expect(r.body).toContain('save it as PDF from the browser');
      expect(r.body).toContain('[console.pdf-unavailable]');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
