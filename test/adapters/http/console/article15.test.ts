import { ObligationEntity } from '../../../../gateway/obligations';
import { PaperOriginalEntity } from '../../../../gateway/emergency';
import { AuditEntryEntity, MessageEntity } from '../../../../gateway/store';
import { ACCOUNTS, Browserless, openConsoleWorld, type ConsoleWorld } from './world';

jest.setTimeout(120_000);

/**
 * Art. 15 in the console over HTTPS (issue 8, item 2): a clerk logs a phone call → a phone
 * EmergencyNotice with written-followup open; the paper original (文号, received time, scan)
 * closes it. Every bad input is refused with its field named and changes nothing (only the
 * console's own audit entries are added).
 */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
/** A Beijing datetime-local value `minutes` from now. */
const bj = (minutes = 0) => new Date(Date.now() + minutes * 60_000 + 8 * 3600_000).toISOString().slice(0, 16);

describe('console Art. 15 pages (phone log, paper original)', () => {
  let w: ConsoleWorld;
  beforeAll(async () => { w = await openConsoleWorld(); });
  afterAll(async () => w?.close());

  const signedIn = async (account: { username: string; password: string }) => {
    const b = new Browserless(w.url);
    expect((await b.signIn(account.username, account.password)).status).toBe(303);
    return b;
  };
  const callForm = async (b: Browserless, change: Record<string, string> = {}) => {
    const page = await b.get('/console/art15');
    expect(page.status).toBe(200);
    const entryId = /name="entryId" value="([^"]+)"/.exec(page.body)![1]!;
    return { _csrf: Browserless.csrf(page), entryId, callerName: '李强', callerPhone: '010-66006688', callerMobile: '', institution: 'op-cmcc', calledAt: bj(-10), summary: '电话报告：GhostPush 控制服务器，书面报告随后补报。', taskNumber: '', level: 'II', standsFor: '', ...change };
  };
  /** What Art. 15 changes: messages, obligations (as JSON), paper originals; audit entries other than the console's own. */
  const state = async () => {
    const m = w.gateway.dataSource.manager;
    return {
      messages: await m.count(MessageEntity), obligations: JSON.stringify(await m.find(ObligationEntity, { order: { id: 'ASC' } })), papers: await m.count(PaperOriginalEntity),
      audit: (await m.find(AuditEntryEntity, { order: { seq: 'ASC' } })).filter((a) => a.kind !== 'console').length,
    };
  };
  const logCall = async (b: Browserless, change: Record<string, string> = {}) => {
    const r = await b.post('/console/art15', await callForm(b, change));
    expect([r.status, r.body.slice(0, 300)]).toEqual([303, expect.any(String)]);
    return new URL(r.headers.location as string, w.url).searchParams.get('id')!;
  };

  it('logs a call: written-followup open with its due time, the notice page links the trace; the paper original closes it; the scan downloads', async () => {
    const b = await signedIn(ACCOUNTS.clerk);
    const id = await logCall(b);
    const notice = await b.get(`/console/art15/notice?id=${encodeURIComponent(id)}&logged=1`);
    expect(notice.status).toBe(200);
    expect(notice.body).toContain(`<code id="message-id">${id}</code>`);
    expect(notice.body).toContain(`href="/console/trace?message=${encodeURIComponent(id)}"`);
    expect(notice.body).toMatch(/id="followup" data-state="open"/);
    expect(notice.body).toMatch(/id="followup-due">\d{4}-\d\d-\d\d \d\d:\d\d</);
    const followup = await w.gateway.dataSource.manager.findOneByOrFail(ObligationEntity, { obligation: 'written-followup', openedBy: id });
    expect(followup).toMatchObject({ party: 'op-cmcc', state: 'open' });
    const list = await b.get('/console/art15');
    expect(list.body).toContain(`data-message="${id}" data-standing="open"`);
    expect((await b.get(`/console/trace?message=${encodeURIComponent(id)}`)).status).toBe(200);

    const r = await b.postMultipart('/console/art15/paper-original', { _csrf: Browserless.csrf(notice), notice: id, documentNumber: '移动〔2026〕117号', receivedAt: bj(-1) }, { scan: { name: '报告.pdf', type: 'application/pdf', bytes: PDF } });
    expect(r.status).toBe(303);
    const after = await b.get(r.headers.location as string);
    expect(after.body).toMatch(/id="followup" data-state="met"/);
    expect(after.body).toContain('移动〔2026〕117号');
    expect((await w.gateway.dataSource.manager.findOneByOrFail(ObligationEntity, { id: followup.id })).state).toBe('met');
    const scan = await b.get(`/console/art15/paper-original/scan?notice=${encodeURIComponent(id)}`);
    expect(scan.status).toBe(200);
    expect(scan.headers['content-type']).toBe('application/pdf');
    expect(scan.headers['content-disposition']).toContain("filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf");
    expect(scan.body).toBe(PDF.toString('utf8'));
    // The auditor reads the notice and the scan, and gets no form.
    const auditor = await signedIn(ACCOUNTS.auditor);
    expect((await auditor.get(`/console/art15/paper-original/scan?notice=${encodeURIComponent(id)}`)).status).toBe(200);
    const ro = await auditor.get('/console/art15');
    expect(ro.body).not.toContain('id="phone-form"');

    // A second registration for the same notice is refused, nothing changes.
    const before = await state();
    const again = await b.postMultipart('/console/art15/paper-original', { _csrf: Browserless.csrf(after), notice: id, documentNumber: '另一号', receivedAt: bj(-1) }, { scan: { name: 'b.pdf', type: 'application/pdf', bytes: PDF } });
    expect(again.status).toBe(409);
    expect(again.body).toContain('emergency.paper-original-exists');
    expect(await state()).toEqual(before);
  });

  it('refuses bad phone logs with each field named, 422, nothing changed', async () => {
    const b = await signedIn(ACCOUNTS.clerk);
    const before = await state();
    const cases: [Record<string, string>, string][] = [
      [{ callerName: '  ' }, 'callerName'],
      [{ summary: '' }, 'summary'],
      [{ institution: 'op-nobody' }, 'institution'],
      [{ calledAt: bj(30) }, 'calledAt'],
      [{ calledAt: 'not a time' }, 'calledAt'],
      [{ level: 'V' }, 'level'],
      [{ standsFor: 'ContactUpdate' }, 'standsFor'],
      [{ callerPhone: 'ring ring' }, 'callerPhone'],
    ];
    for (const [change, fieldName] of cases) {
      const r = await b.post('/console/art15', await callForm(b, change));
      expect([fieldName, r.status]).toEqual([fieldName, 422]);
      expect(r.body).toContain(`<li data-field="${fieldName}">`);
      expect(r.body).toContain('未做任何更改');
    }
    // A refused phone number reaches recordEmergencyNotice, which writes its `reject` audit entry; nothing else is written.
    expect({ ...(await state()), audit: before.audit }).toEqual(before);
  });

  it('leaves out a task number no case of the institution has, and says so (recordEmergencyNotice does not refuse it)', async () => {
    const b = await signedIn(ACCOUNTS.clerk);
    const r = await b.post('/console/art15', await callForm(b, { taskNumber: 'NO-SUCH-TASK', standsFor: 'IncidentReport' }));
    expect(r.status).toBe(303);
    const page = await b.get(r.headers.location as string);
    expect(page.body).toContain('id="unmatched"');
    expect(page.body).toContain('id="stands-for">IncidentReport · 级别 II</td>');
  });

  it('says so when the same form is posted again with edited fields: the first submission stands, nothing changed', async () => {
    const b = await signedIn(ACCOUNTS.clerk);
    const form = await callForm(b);
    const first = await b.post('/console/art15', form);
    expect(first.status).toBe(303);
    const id = new URL(first.headers.location as string, w.url).searchParams.get('id')!;
    const before = await state();
    const again = await b.post('/console/art15', { ...form, summary: '改过的摘要' });
    expect(again.status).toBe(303);
    const page = await b.get(again.headers.location as string);
    expect(page.body).toContain(`<code id="message-id">${id}</code>`);
    expect(page.body).toContain('id="again"');
    expect(page.body).not.toContain('id="logged"');
    expect(await state()).toEqual(before);
  });

  it('refuses bad paper originals with each field named, and unknown or closed notices; nothing changed', async () => {
    const b = await signedIn(ACCOUNTS.clerk);
    const id = await logCall(b);
    const page = await b.get(`/console/art15/notice?id=${encodeURIComponent(id)}`);
    const csrf = Browserless.csrf(page);
    const before = await state();
    const post = (fields: Record<string, string>, scan?: { name: string; type: string; bytes: Buffer }) =>
      b.postMultipart('/console/art15/paper-original', { _csrf: csrf, notice: id, documentNumber: '移动〔2026〕118号', receivedAt: bj(-1), ...fields }, scan ? { scan } : {});
    const pdf = { name: 'a.pdf', type: 'application/pdf', bytes: PDF };
    const cases: [Promise<Awaited<ReturnType<typeof post>>>, string][] = [
      [post({ documentNumber: '' }, pdf), 'documentNumber'],
      [post({ receivedAt: bj(60) }, pdf), 'receivedAt'],
      [post({}), 'scan'],
      [post({}, { name: 'empty.pdf', type: 'application/pdf', bytes: Buffer.alloc(0) }), 'scan'],
      [post({}, { name: 'virus.pdf', type: 'application/pdf', bytes: Buffer.from('MZ\x90\x00 an executable') }), 'scan'],
      [post({}, { name: 'big.pdf', type: 'application/pdf', bytes: Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]) }), 'scan'],
    ];
    for (const [p, fieldName] of cases) {
      const r = await p;
      expect([fieldName, r.status]).toEqual([fieldName, 422]);
      expect(r.body).toContain(`<li data-field="${fieldName}">`);
    }
    const unknown = await b.postMultipart('/console/art15/paper-original', { _csrf: csrf, notice: 'mmgw-en-nosuchnotice', documentNumber: 'x', receivedAt: bj(-1) }, { scan: pdf });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('emergency.unknown-notice');
    expect(await state()).toEqual(before);
    expect((await w.gateway.dataSource.manager.findOneByOrFail(ObligationEntity, { obligation: 'written-followup', openedBy: id })).state).toBe('open');
  });

  it('refuses a forged CSRF token on the phone log and on the paper original: 403, nothing changed', async () => {
    const b = await signedIn(ACCOUNTS.clerk);
    const id = await logCall(b);
    const before = await state();
    const forged = await b.post('/console/art15', { ...(await callForm(b)), _csrf: 'forged-by-another-site' });
    expect(forged.status).toBe(403);
    expect(forged.body).toContain('未做任何更改');
    const paper = await b.postMultipart('/console/art15/paper-original', { _csrf: 'forged', notice: id, documentNumber: 'x', receivedAt: bj(-1) }, { scan: { name: 'a.pdf', type: 'application/pdf', bytes: PDF } });
    expect(paper.status).toBe(403);
    expect(await state()).toEqual(before);
  });

  it('lets an institution administrator log and register for its own institution only: 403 for another, nothing changed', async () => {
    const clerk = await signedIn(ACCOUNTS.clerk);
    const cuccNotice = await logCall(clerk, { institution: 'op-cucc', callerName: '张伟' });
    const cmcc = await signedIn(ACCOUNTS.cmcc);
    const form = await cmcc.get('/console/art15');
    expect(form.body).not.toContain('value="op-cucc"');
    expect(form.body).not.toContain(cuccNotice);
    const before = await state();
    const other = await cmcc.post('/console/art15', { ...(await callForm(cmcc)), institution: 'op-cucc' });
    expect(other.status).toBe(403);
    expect(other.body).toContain('op-cucc');
    expect((await cmcc.get(`/console/art15/notice?id=${encodeURIComponent(cuccNotice)}`)).status).toBe(403);
    const paper = await cmcc.postMultipart('/console/art15/paper-original', { _csrf: Browserless.csrf(form), notice: cuccNotice, documentNumber: '联通〔2026〕1号', receivedAt: bj(-1) }, { scan: { name: 'a.pdf', type: 'application/pdf', bytes: PDF } });
    expect(paper.status).toBe(403);
    expect(await state()).toEqual(before);
    // Its own institution: allowed.
    expect((await cmcc.post('/console/art15', await callForm(cmcc))).status).toBe(303);
  });
});
