import * as fs from 'node:fs';
import * as path from 'node:path';
import { verifyAuditChain } from '../../../../gateway/audit';
import { contactsOf, historyOf } from '../../../../gateway/contacts';
import { ObligationEntity } from '../../../../gateway/obligations';
import { AuditEntryEntity, DeliveryEntity, MessageEntity } from '../../../../gateway/store';
import { ACCOUNTS, Browserless, openConsoleWorld, type ConsoleWorld } from './world';

jest.setTimeout(120_000);

/** A valid contact form for op-cmcc (the field names of the console's form). */
function contactForm(csrf: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    _csrf: csrf, institution: 'op-cmcc', unit: '中国移动通信集团有限公司', department: '信息安全管理与运行中心',
    'leader.name': '王建国', 'leader.phone': '010-66006600', 'leader.mobile': '13901010101', 'leader.email': 'wangjg@chinamobile.example.cn',
    'head.name': '刘洋', 'head.phone': '010-66006611', 'head.email': 'liuyang@chinamobile.example.cn',
    'contact0.name': '李强', 'contact0.phone': '010-66006688', 'contact0.email': 'security@chinamobile.example.cn',
    effectiveDate: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10), changes: '新增联系人李强。',
    ...overrides,
  };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('console over HTTPS (sign-in, sessions, CSRF, roles, contact edit)', () => {
  let w: ConsoleWorld;
  beforeAll(async () => {
    w = await openConsoleWorld({ maxFailedSignIns: 5, lockoutMinutes: 15 });
  });
  afterAll(async () => w?.close());

  it('sends an unsigned-in browser to the sign-in form, and signs in with the right password: a session cookie HttpOnly, Secure, SameSite=Strict', async () => {
    const b = new Browserless(w.url);
    const first = await b.get('/console/registry');
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/console/login');
    const form = await b.get('/console/login');
    expect(form.status).toBe(200);
    expect(form.body).toContain('登录');
    const ok = await b.post('/console/login', { _csrf: Browserless.csrf(form), username: ACCOUNTS.admin.username, password: ACCOUNTS.admin.password });
    expect(ok.status).toBe(303);
    const cookie = ([] as string[]).concat(ok.headers['set-cookie'] ?? []).find((c) => c.startsWith('mmgw_console='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Secure/);
    // A new session id at sign-in (the anonymous form session is not reused).
    expect(cookie!.split(';')[0]).not.toBe(`mmgw_console=${([] as string[]).concat(form.headers['set-cookie'] ?? [])[0]?.split(';')[0]?.split('=')[1]}`);
    const registry = await b.get('/console/registry');
    expect(registry.status).toBe(200);
    expect(registry.body).toContain('op-cmcc');
    expect(registry.body).toContain('ca-44');
    expect(registry.headers['content-security-policy']).toContain("default-src 'none'");
    const en = await b.get('/console/registry?lang=en');
    expect(en.body).toContain('Registry');
  });

  it('refuses a wrong password, locks the account at the fifth, then refuses even the right password with the lock-out message', async () => {
    const b = new Browserless(w.url);
    for (let i = 1; i <= 4; i++) {
      const r = await b.signIn(ACCOUNTS.clerk.username, 'wrong password!');
      expect(r.status).toBe(401);
      expect(r.body).toContain('用户名或密码错误');
    }
    const fifth = await b.signIn(ACCOUNTS.clerk.username, 'wrong password!');
    expect(fifth.status).toBe(423);
    expect(fifth.body).toContain('锁定');
    const right = await b.signIn(ACCOUNTS.clerk.username, ACCOUNTS.clerk.password);
    expect(right.status).toBe(423);
    expect(b.cookie('mmgw_console')).toBeDefined();
    expect((await b.get('/console/registry')).status).toBe(303);
    const audit = await w.gateway.dataSource.manager.find(AuditEntryEntity, { where: { kind: 'console', actor: ACCOUNTS.clerk.username } });
    expect(audit.map((a) => (JSON.parse(a.details) as { action: string }).action)).toEqual(['sign-in-failed', 'sign-in-failed', 'sign-in-failed', 'sign-in-failed', 'locked-out', 'sign-in-refused-locked']);
  });

  it('refuses a form posted with a forged CSRF token (403, clear message) and changes nothing', async () => {
    const b = new Browserless(w.url);
    expect((await b.signIn(ACCOUNTS.cmcc.username, ACCOUNTS.cmcc.password)).status).toBe(303);
    const r = await b.post('/console/contacts/edit?institution=op-cmcc', contactForm('forged-token-0123456789'));
    expect(r.status).toBe(403);
    expect(r.body).toContain('表单的安全令牌缺失或与本会话不符');
    expect(await contactsOf(w.gateway.dataSource, 'op-cmcc')).toBeNull();
    // The token of another session is as good as a forged one.
    const other = new Browserless(w.url);
    await other.signIn(ACCOUNTS.admin.username, ACCOUNTS.admin.password);
    const theirs = Browserless.csrf(await other.get('/console/registry'));
    expect((await b.post('/console/contacts/edit?institution=op-cmcc', contactForm(theirs))).status).toBe(403);
    expect(await contactsOf(w.gateway.dataSource, 'op-cmcc')).toBeNull();
  });

  it('lets an institution administrator neither open nor change another institution (403, nothing changed)', async () => {
    const b = new Browserless(w.url);
    await b.signIn(ACCOUNTS.cmcc.username, ACCOUNTS.cmcc.password);
    const page = await b.get('/console/contacts/edit?institution=op-cucc');
    expect(page.status).toBe(403);
    expect(page.body).toContain('op-cucc');
    const csrf = Browserless.csrf(await b.get('/console/registry'));
    const post = await b.post('/console/contacts/edit?institution=op-cucc', contactForm(csrf, { institution: 'op-cucc', unit: '中国联合网络通信集团有限公司' }));
    expect(post.status).toBe(403);
    expect(await contactsOf(w.gateway.dataSource, 'op-cucc')).toBeNull();
    expect((await b.get('/console/registry/unit?code=op-cucc')).status).toBe(403);
  });

  it('refuses an empty leader, a malformed phone and e-mail, and an effective date beyond the bound, each named at its field (422), changing nothing', async () => {
    const b = new Browserless(w.url);
    await b.signIn(ACCOUNTS.cmcc.username, ACCOUNTS.cmcc.password);
    const csrf = Browserless.csrf(await b.get('/console/contacts/edit?institution=op-cmcc'));
    const messagesBefore = await w.gateway.dataSource.manager.count(MessageEntity);
    const cases: [Record<string, string>, RegExp][] = [
      [{ 'leader.name': '' }, /body\.leaderInCharge\.name/],
      [{ 'leader.phone': 'call me' }, /body\.leaderInCharge\.phone/],
      [{ 'contact0.email': 'not-an-address' }, /body\.contacts\[0\]\.email/],
      [{ effectiveDate: '2099-01-01' }, /contacts\.effective-date-too-far/],
    ];
    for (const [override, expected] of cases) {
      const r = await b.post('/console/contacts/edit?institution=op-cmcc', contactForm(csrf, override));
      expect(r.status).toBe(422);
      expect(r.body).toMatch(expected);
      expect(r.body).toContain('未做任何更改');
    }
    expect(await contactsOf(w.gateway.dataSource, 'op-cmcc')).toBeNull();
    expect(await w.gateway.dataSource.manager.count(MessageEntity)).toBe(messagesBefore);
  });

  it('records a valid edit as a ContactUpdate to miit cc cncert on the institution\'s behalf: delivered to both, contact-change met, history kept', async () => {
    const b = new Browserless(w.url);
    await b.signIn(ACCOUNTS.cmcc.username, ACCOUNTS.cmcc.password);
    const csrf = Browserless.csrf(await b.get('/console/contacts/edit?institution=op-cmcc'));
    const r = await b.post('/console/contacts/edit?institution=op-cmcc', contactForm(csrf));
    expect(r.status).toBe(303);
    const messageId = /saved=([^&]+)/.exec(String(r.headers.location))![1]!;
    const ds = w.gateway.dataSource;
    const message = await ds.manager.findOneOrFail(MessageEntity, { where: { id: messageId } });
    expect(message).toMatchObject({ type: 'ContactUpdate', fromCode: 'op-cmcc', toCodes: ['miit'], ccCodes: ['cncert'] });
    const deliveries = await until('deliveries to miit and cncert', async () => {
      const d = await ds.manager.find(DeliveryEntity, { where: { messageId } });
      return d.length === 2 ? d : undefined;
    });
    expect(deliveries.map((d) => [d.recipientCode, d.role]).sort()).toEqual([['cncert', 'cc'], ['miit', 'to']]);
    const obligation = await ds.manager.findOneOrFail(ObligationEntity, { where: { obligation: 'contact-change', party: 'op-cmcc' } });
    expect(obligation.state).toBe('met');
    expect(obligation.closedBy).toBe(messageId);
    const sheet = await contactsOf(ds, 'op-cmcc');
    expect(sheet?.leaderInCharge.name).toBe('王建国');
    const history = await historyOf(ds, 'op-cmcc');
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ changedBy: 'op-cmcc/cmcc-admin', messageId });
    const unit = await b.get(String(r.headers.location));
    expect(unit.status).toBe(200);
    expect(unit.body).toContain('按时履行');
    expect((await verifyAuditChain(ds)).ok).toBe(true);
  });

  it('lets the auditor read the contact form but post nothing (403, nothing changed)', async () => {
    const b = new Browserless(w.url);
    await b.signIn(ACCOUNTS.auditor.username, ACCOUNTS.auditor.password);
    const page = await b.get('/console/contacts/edit?institution=op-ctcc');
    expect(page.status).toBe(200);
    const r = await b.post('/console/contacts/edit?institution=op-ctcc', contactForm(Browserless.csrf(page), { institution: 'op-ctcc' }));
    expect(r.status).toBe(403);
    expect(await contactsOf(w.gateway.dataSource, 'op-ctcc')).toBeNull();
  });

  it('renders every page for the gateway administrator, with the charts as inline SVG and the message trace of the console\'s ContactUpdate', async () => {
    const b = new Browserless(w.url);
    await b.signIn(ACCOUNTS.admin.username, ACCOUNTS.admin.password);
    const message = await w.gateway.dataSource.manager.findOneOrFail(MessageEntity, { where: { type: 'ContactUpdate' } });
    for (const p of ['/console/registry', '/console/obligations', '/console/trace', `/console/trace?message=${message.id}`, '/console/cases', '/console/compliance', '/console/registry/unit?code=op-cmcc', '/console/contacts/edit?institution=op-cmcc']) {
      const r = await b.get(p);
      expect([p, r.status]).toEqual([p, 200]);
    }
    const trace = await b.get(`/console/trace?message=${message.id}`);
    expect(trace.body).toMatch(/<g class="lane" data-recipient="miit"/);
    expect(trace.body).toMatch(/<g class="lane" data-recipient="cncert"/);
    // The contact-change obligation met today is due 3 working days after the effective date: its month counts it.
    const due = (await w.gateway.dataSource.manager.findOneOrFail(ObligationEntity, { where: { obligation: 'contact-change', party: 'op-cmcc' } })).due!;
    const compliance = await b.get(`/console/compliance?period=${new Date(due.getTime() + 8 * 3600_000).toISOString().slice(0, 7)}`);
    expect(compliance.body).toContain('<svg');
    expect(compliance.body).toMatch(/<td>op-cmcc<\/td><td class="num">1<\/td>/);
    expect((await b.get('/console/compliance?period=2026-13')).status).toBe(400);
    expect((await b.get('/console/nowhere')).status).toBe(404);
  });

  it('signs in with the client certificate of an institution as its administrator, and refuses a browser without one', async () => {
    const pki = path.join(w.gateway.config.dataDir, 'pki', 'institutions');
    const b = new Browserless(w.url, { key: fs.readFileSync(path.join(pki, 'op-ctcc.key.pem'), 'utf8'), cert: fs.readFileSync(path.join(pki, 'op-ctcc.cert.pem'), 'utf8'), passphrase: w.gateway.passphrase.passphrase });
    const form = await b.get('/console/login');
    const r = await b.post('/console/login/certificate', { _csrf: Browserless.csrf(form) });
    expect(r.status).toBe(303);
    const registry = await b.get('/console/registry');
    expect(registry.body).toContain('cert:op-ctcc');
    expect((registry.body.match(/<tr data-code=/g) ?? []).length).toBe(1);
    expect((await b.get('/console/contacts/edit?institution=op-ctcc')).status).toBe(200);
    expect((await b.get('/console/contacts/edit?institution=op-cmcc')).status).toBe(403);
    const none = new Browserless(w.url);
    const refused = await none.post('/console/login/certificate', { _csrf: Browserless.csrf(await none.get('/console/login')) });
    expect(refused.status).toBe(401);
    expect(refused.body).toContain('未提供受信任的客户端证书');
  });

  it('ends the session on sign-out (the old cookie opens nothing), escapes what it echoes, and audits every view', async () => {
    const b = new Browserless(w.url);
    await b.signIn(ACCOUNTS.admin.username, ACCOUNTS.admin.password);
    const page = await b.get('/console/registry?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(page.body).not.toContain('<script>alert(1)');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const cookie = b.cookie('mmgw_console')!;
    expect((await b.post('/console/logout', { _csrf: Browserless.csrf(page) })).status).toBe(303);
    expect(b.cookie('mmgw_console')).toBeUndefined();
    const replay = new Browserless(w.url);
    replay.setCookie('mmgw_console', cookie);
    expect((await replay.get('/console/registry')).status).toBe(303);
    const views = await w.gateway.dataSource.manager.find(AuditEntryEntity, { where: { kind: 'console', actor: ACCOUNTS.admin.username, subject: 'console:/registry' } });
    expect(views.some((v) => (JSON.parse(v.details) as { action: string; query: string | null }).query === 'q=%3Cscript%3Ealert(1)%3C%2Fscript%3E')).toBe(true);
    expect((await verifyAuditChain(w.gateway.dataSource)).ok).toBe(true);
  });

  it('records a change that took effect weeks ago as reported late: contact-change met late, listed among the late changes', async () => {
    const b = new Browserless(w.url);
    await b.signIn(ACCOUNTS.admin.username, ACCOUNTS.admin.password);
    const csrf = Browserless.csrf(await b.get('/console/contacts/edit?institution=op-cbn'));
    const effective = new Date(Date.now() + 8 * 3600_000 - 30 * 86_400_000).toISOString().slice(0, 10);
    const r = await b.post('/console/contacts/edit?institution=op-cbn', contactForm(csrf, { institution: 'op-cbn', unit: '中国广电网络股份有限公司', effectiveDate: effective }));
    expect(r.status).toBe(303);
    const messageId = /saved=([^&]+)/.exec(String(r.headers.location))![1]!;
    const obligation = await w.gateway.dataSource.manager.findOneOrFail(ObligationEntity, { where: { obligation: 'contact-change', party: 'op-cbn' } });
    expect(obligation).toMatchObject({ state: 'met-late', closedBy: messageId });
    expect((await historyOf(w.gateway.dataSource, 'op-cbn'))[0]).toMatchObject({ changedBy: 'op-cbn/gw-admin', effectiveDate: effective });
    expect((await b.get(String(r.headers.location))).body).toContain('逾期履行');
    const registry = await b.get('/console/registry');
    expect(registry.body).toMatch(/<table id="late-changes">[\s\S]*<td>op-cbn<\/td><td>/);
  });
});
