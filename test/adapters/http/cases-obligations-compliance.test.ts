import Ajv2020 from 'ajv/dist/2020';
import { Workbook } from 'exceljs';
import { codeInfo } from '../../../contracts/errors/registry';
import { XLSX_MEDIA_TYPE } from '../../../adapters/http/routes/compliance';
import type { CaseJson, ObligationsPage } from '../../../adapters/http';
import type { ComplianceReport } from '../../../gateway/compliance';
import { bj, openObligationWorld, type ObligationWorld } from './obligation-world';

jest.setTimeout(60_000);

const TASK = 'CNCERT-2026-1128-017';
const SAMPLE_TASK = 'CNCERT-RD-2026-1130-01';
const REPORT = 'op-cmcc-20261128-0007';
const NOTICE = 'cncert-20261128-0003';
const FEEDBACK = 'op-cmcc-20261128-0011';
const VERIFICATION = 'cncert-20261128-0009';

interface Problem { status: number; code: string; detail: string; errors?: { code: string; path?: string; message: string; source?: string }[] }

// Issue 6 items 1, 2 and 5 over HTTPS with mTLS, on the real intake, hooks and delivery stage
// (SQLite), a TestClock driving whole cases: SampleReport → SampleIdentification, and
// IncidentReport → IncidentNotice → acknowledgements → DisposalFeedback → VerificationResult.
describe('GET /v1/cases, /v1/obligations and /v1/compliance on the core', () => {
  let w: ObligationWorld;
  const counts = async () => {
    const out: Record<string, number> = {};
    for (const t of ['messages', 'obligations', 'cases', 'case_messages', 'deliveries', 'outbox']) out[t] = Number(((await w.ds.query(`SELECT COUNT(*) AS n FROM ${t}`)) as { n: number }[])[0]!.n);
    return out;
  };

  beforeAll(async () => {
    w = await openObligationWorld();
  });
  afterAll(async () => w?.close());

  it('drives both cases through the API: every form is accepted and every clock opens and closes as the rules say', async () => {
    expect((await w.send(w.example('sample-report'), '2026-11-27T10:16')).status).toBe(202);
    expect((await w.send(w.example('incident-report'), '2026-11-28T10:53')).status).toBe(202);
    expect((await w.send(w.example('incident-notice'), '2026-11-28T11:31')).status).toBe(202);
    // Each disposing unit's clock runs from its own acknowledgement (level II: 2 h); op-ctcc never acknowledges.
    expect((await w.ack('op-cmcc', NOTICE, '2026-11-28T11:40')).status).toBe(200);
    expect((await w.ack('op-cucc', NOTICE, '2026-11-28T11:45')).status).toBe(200);
    expect((await w.ack('miit', NOTICE, '2026-11-28T11:46')).status).toBe(200);
    expect((await w.send(w.example('disposal-feedback'), '2026-11-28T13:11')).status).toBe(202);
    // cncert's verification is due 2 h after it received the feedback (15:11): at 15:21 it is late.
    expect((await w.send(w.example('verification-result'), '2026-11-28T15:21')).status).toBe(202);
    expect((await w.send(w.example('sample-identification'), '2026-11-30T15:06')).status).toBe(202);
  });

  describe('GET /v1/cases/{taskNumber}', () => {
    it('shows a party every message, delivery and obligation of the incident case', async () => {
      w.clock.set(bj('2026-11-30T16:00'));
      const res = await w.get('op-cmcc', `/v1/cases/${TASK}`);
      expect(res.status).toBe(200);
      const c = res.json<CaseJson>();
      expect(c).toMatchObject({ taskNumber: TASK, key: REPORT, kind: 'incident', level: 'II', legalHold: false });
      expect([...c.parties].sort()).toEqual(['ca-11', 'ca-44', 'cncert', 'miit', 'op-cmcc', 'op-ctcc', 'op-cucc']);
      expect(c.messages.map((m) => `${m.type}:${m.id}:${m.from}`)).toEqual([
        `IncidentReport:${REPORT}:op-cmcc`, `IncidentNotice:${NOTICE}:cncert`, `DisposalFeedback:${FEEDBACK}:op-cmcc`, `VerificationResult:${VERIFICATION}:cncert`,
      ]);
      expect(c.messages[0]).toMatchObject({ to: ['miit'], cc: ['ca-11', 'ca-44', 'cncert'], acceptedAt: bj('2026-11-28T10:53').toISOString() });
      // One delivery per recipient of each message; the notice's acknowledged ones with their times.
      expect(c.deliveries.filter((d) => d.messageId === REPORT).map((d) => d.recipient).sort()).toEqual(['ca-11', 'ca-44', 'cncert', 'miit']);
      const notice = Object.fromEntries(c.deliveries.filter((d) => d.messageId === NOTICE).map((d) => [d.recipient, d]));
      expect(Object.keys(notice).sort()).toEqual(['ca-11', 'ca-44', 'miit', 'op-cmcc', 'op-ctcc', 'op-cucc']);
      expect(notice['op-cmcc']).toMatchObject({ status: 'acknowledged', channel: 'mailbox', role: 'to', acknowledgedAt: bj('2026-11-28T11:40').toISOString(), deliveryId: expect.stringMatching(/^dlv-\d{8}$/) });
      expect(notice['op-ctcc']).toMatchObject({ status: 'queued', acknowledgedAt: null });
      expect(c.obligations.map((o) => `${o.obligation}:${o.party}:${o.state}:${o.overdue}`)).toEqual([
        'event-report:op-cmcc:met:false', 'disposal-feedback:op-cmcc:met:false', 'disposal-feedback:op-cucc:open:true', 'verification:cncert:met-late:false',
      ]);
      const feedback = c.obligations.find((o) => o.party === 'op-cucc')!;
      expect(feedback).toMatchObject({ counterparty: 'cncert', level: 'II', taskNumber: TASK, start: bj('2026-11-28T11:45').toISOString(), due: bj('2026-11-28T13:45').toISOString(), closedBy: null });
      expect(c.obligations.find((o) => o.obligation === 'verification')).toMatchObject({ openedBy: FEEDBACK, closedBy: VERIFICATION, due: bj('2026-11-28T15:11').toISOString(), closedAt: bj('2026-11-28T15:21').toISOString() });
    });

    it('shows the sample case by its task number, and by its key', async () => {
      const byTask = await w.get('ca-11', `/v1/cases/${SAMPLE_TASK}`);
      expect(byTask.status).toBe(200);
      const c = byTask.json<CaseJson>();
      expect(c).toMatchObject({ kind: 'sample', key: 'op-cmcc-20261127-0001', taskNumber: SAMPLE_TASK });
      expect(c.messages.map((m) => m.type)).toEqual(['SampleReport', 'SampleIdentification']);
      expect(c.obligations.map((o) => `${o.obligation}:${o.party}:${o.state}`)).toEqual(['sample-report:op-cmcc:met', 'sample-identification:cncert:met']);
      expect((await w.get('op-cmcc', '/v1/cases/op-cmcc-20261127-0001')).json<CaseJson>().taskNumber).toBe(SAMPLE_TASK);
    });

    it('answers a stranger exactly as an unknown task number: 404, so a case\'s existence does not leak', async () => {
      const stranger = await w.get('op-cbn', `/v1/cases/${TASK}`);
      const unknown = await w.get('op-cbn', '/v1/cases/CNCERT-2026-1128-999');
      expect(stranger.status).toBe(404);
      expect(unknown.status).toBe(404);
      const strip = (p: Problem) => ({ ...p, detail: p.detail.replace(/CNCERT-\S+/, 'TASK') });
      expect(strip(stranger.json<Problem>())).toEqual(strip(unknown.json<Problem>()));
      expect(stranger.json<Problem>()).toMatchObject({ code: 'http.not-found', detail: `no case ${TASK} of which op-cbn is a party` });
      // A party of the sample case is not thereby a party of the incident case.
      expect((await w.get('op-cucc', `/v1/cases/${SAMPLE_TASK}`)).status).toBe(404);
      expect((await w.get('op-cmcc', `/v1/cases/${'X'.repeat(200)}`)).status).toBe(404);
    });
  });

  describe('GET /v1/obligations', () => {
    it('lists what the caller owes, due first, overdue judged at the clock', async () => {
      w.clock.set(bj('2026-11-28T14:00'));
      const cucc = (await w.get('op-cucc', '/v1/obligations')).json<ObligationsPage>();
      expect(cucc.asOf).toBe(bj('2026-11-28T14:00').toISOString());
      expect(cucc.items.map((o) => `${o.obligation}:${o.state}:${o.overdue}:${o.taskNumber}`)).toEqual(['disposal-feedback:open:true:CNCERT-2026-1128-017']);
      expect(cucc.next).toBeNull();
      // Before its deadline it is open but not overdue.
      w.clock.set(bj('2026-11-28T13:44'));
      expect((await w.get('op-cucc', '/v1/obligations?overdue=true')).json<ObligationsPage>().items).toEqual([]);
      w.clock.set(bj('2026-11-28T13:46'));
      expect((await w.get('op-cucc', '/v1/obligations?overdue=true')).json<ObligationsPage>().items.map((o) => o.obligation)).toEqual(['disposal-feedback']);

      const cmcc = (await w.get('op-cmcc', '/v1/obligations')).json<ObligationsPage>();
      expect(cmcc.items.map((o) => `${o.obligation}:${o.state}:${o.due}`)).toEqual([
        `event-report:met:${bj('2026-11-28T11:20').toISOString()}`, `disposal-feedback:met:${bj('2026-11-28T13:40').toISOString()}`, `sample-report:met:${bj('2026-12-01T00:00').toISOString()}`,
      ]);
      expect(cmcc.items.every((o) => o.party === 'op-cmcc')).toBe(true);
      // op-ctcc never acknowledged the notice: it owes nothing yet.
      expect((await w.get('op-ctcc', '/v1/obligations')).json<ObligationsPage>().items).toEqual([]);
    });

    it('filters by state, obligation id and case', async () => {
      const ids = async (q: string) => (await w.get('op-cmcc', `/v1/obligations?${q}`)).json<ObligationsPage>().items.map((o) => o.obligation);
      expect(await ids('obligation=event-report')).toEqual(['event-report']);
      expect(await ids(`case=${TASK}`)).toEqual(['event-report', 'disposal-feedback']);
      expect(await ids('case=op-cmcc-20261127-0001')).toEqual(['sample-report']);
      expect(await ids('case=CNCERT-0000-NONE')).toEqual([]);
      expect(await ids('state=open')).toEqual([]);
      expect(await ids('state=met&overdue=false')).toEqual(['event-report', 'disposal-feedback', 'sample-report']);
      const cncert = (await w.get('cncert', '/v1/obligations?state=met-late')).json<ObligationsPage>();
      expect(cncert.items.map((o) => `${o.obligation}:${o.closedBy}`)).toEqual([`verification:${VERIFICATION}`]);
    });

    it('pages with limit and the next cursor: every obligation once, in order', async () => {
      const all = (await w.get('op-cmcc', '/v1/obligations')).json<ObligationsPage>().items.map((o) => o.id);
      const seen: number[] = [];
      let next: string | null = null;
      let pages = 0;
      do {
        const page: ObligationsPage = (await w.get('op-cmcc', `/v1/obligations?limit=1${next ? `&after=${encodeURIComponent(next)}` : ''}`)).json<ObligationsPage>();
        seen.push(...page.items.map((o) => o.id));
        next = page.next;
        pages += 1;
      } while (next !== null && pages < 10);
      expect(seen).toEqual(all);
      expect(pages).toBe(all.length);
    });

    it('refuses bad parameters with 400, naming each parameter and its rule, and lists nothing', async () => {
      const res = await w.get('op-cmcc', '/v1/obligations?state=done&overdue=yes&limit=0&obligation=event-notice&colour=red');
      expect(res.status).toBe(400);
      const p = res.json<Problem>();
      expect(p.code).toBe('http.bad-request'); // the first error's
      expect(p.errors!.map((e) => `${e.path}:${e.code}`)).toEqual([
        'query.colour:http.bad-request', 'query.state:obligation.bad-query', 'query.overdue:obligation.bad-query', 'query.obligation:obligation.bad-query', 'query.limit:obligation.bad-query',
      ]);
      expect(p.errors!.find((e) => e.path === 'query.state')!.message).toBe('state must be one of open, met, met-late, waived, got "done"');
      expect(p.errors!.find((e) => e.path === 'query.limit')!.message).toContain('from 1 to 200');
      const cursor = await w.get('op-cmcc', '/v1/obligations?limit=1&after=not-a-cursor');
      expect(cursor.status).toBe(400);
      expect(cursor.json<Problem>()).toMatchObject({ code: 'obligation.bad-query', errors: [{ path: 'query.after', message: 'after "not-a-cursor" is not the next cursor of a previous page' }] });
      expect((await w.get('op-cmcc', '/v1/obligations?state=open&state=met')).json<Problem>().errors).toEqual([{ code: 'http.bad-request', path: 'query.state', message: 'state must be given once, as a single value' }]);
    });
  });

  describe('GET /v1/compliance', () => {
    beforeAll(() => w.clock.set(bj('2026-12-01T09:00')));

    it('gives miit and cncert every unit of the month: met on time, met late by how much, open past due', async () => {
      for (const reader of ['miit', 'cncert']) {
        const res = await w.get(reader, '/v1/compliance?period=2026-11');
        expect(res.status).toBe(200);
        const r = res.json<ComplianceReport>();
        expect(r).toMatchObject({ period: '2026-11', asOf: bj('2026-12-01T09:00').toISOString(), from: bj('2026-11-01T00:00').toISOString(), to: bj('2026-12-01T00:00').toISOString() });
        const byUnit = Object.fromEntries(r.units.map((u) => [u.unit, u]));
        expect(Object.keys(byUnit)).toEqual(['cncert', 'op-cmcc', 'op-cucc']);
        // op-cmcc: its event report and its feedback on time (its sample report falls due at 00:00 on 1 December: the next month).
        expect(byUnit['op-cmcc']).toMatchObject({ metOnTime: 2, metLate: 0, openPastDue: 0, underGraded: 0 });
        expect(byUnit['op-cucc']).toMatchObject({ metOnTime: 0, openPastDue: 1, overdue: [{ obligation: 'disposal-feedback', due: bj('2026-11-28T13:45').toISOString() }] });
        expect(byUnit.cncert).toMatchObject({ metOnTime: 0, metLate: 1, maxLateMinutes: 10, late: [{ obligation: 'verification', lateMinutes: 10 }] });
      }
      expect((await w.get('miit', '/v1/compliance?period=2026-11&unit=op-cucc')).json<ComplianceReport>().units.map((u) => u.unit)).toEqual(['op-cucc']);
    });

    it('gives any other unit its own record only: by default, or when it names itself; another unit\'s is 403', async () => {
      const own = (await w.get('op-cucc', '/v1/compliance?period=2026-11')).json<ComplianceReport>();
      expect(own.units.map((u) => [u.unit, u.openPastDue])).toEqual([['op-cucc', 1]]);
      expect((await w.get('op-cucc', '/v1/compliance?period=2026-11&unit=op-cucc')).json<ComplianceReport>()).toEqual(own);
      // A unit with nothing due that month gets an empty report, not someone else's.
      expect((await w.get('ca-11', '/v1/compliance?period=2026-11')).json<ComplianceReport>().units).toEqual([]);
      const other = await w.get('op-cucc', '/v1/compliance?period=2026-11&unit=op-cmcc');
      expect(other.status).toBe(403);
      expect(other.json<Problem>()).toMatchObject({ code: 'compliance.not-permitted', errors: [{ path: 'query.unit', source: 'Art. 19' }] });
      expect((await w.get('ca-44', '/v1/compliance?period=2026-11&unit=ca-11')).status).toBe(403);
    });

    it('refuses a bad period, a unit that is not a code, an unknown unit, naming the parameter, the rule and Art. 19', async () => {
      const month13 = await w.get('miit', '/v1/compliance?period=2026-13');
      expect(month13.status).toBe(400);
      expect(month13.json<Problem>()).toMatchObject({
        code: 'compliance.bad-period', status: codeInfo('compliance.bad-period').http,
        errors: [{ code: 'compliance.bad-period', path: 'query.period', message: 'period "2026-13" is not a month written YYYY-MM (e.g. 2026-11)', source: 'Art. 19' }],
      });
      expect((await w.get('miit', '/v1/compliance')).json<Problem>()).toMatchObject({ code: 'compliance.bad-period', errors: [{ path: 'query.period', message: 'period is required: the month written YYYY-MM (e.g. 2026-11)' }] });
      const unknown = await w.get('miit', '/v1/compliance?period=2026-11&unit=op-nope');
      expect(unknown.status).toBe(400);
      expect(unknown.json<Problem>()).toMatchObject({ code: 'compliance.unknown-unit', errors: [{ path: 'query.unit', message: 'unit "op-nope" is not an institution of the registry', source: 'Art. 19' }] });
      expect((await w.get('miit', '/v1/compliance?period=2026-11&unit=OP%20CMCC')).json<Problem>()).toMatchObject({ code: 'compliance.bad-unit', errors: [{ path: 'query.unit' }] });
      expect((await w.get('miit', '/v1/compliance?period=2026-11&month=11')).json<Problem>()).toMatchObject({ code: 'http.bad-request', errors: [{ path: 'query.month' }] });
    });

    it('answers the .xlsx workbook when Accept asks for the spreadsheet media type', async () => {
      const res = await w.get('miit', '/v1/compliance?period=2026-11', { accept: XLSX_MEDIA_TYPE });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(XLSX_MEDIA_TYPE);
      expect(res.headers['content-disposition']).toBe('attachment; filename="compliance-2026-11.xlsx"');
      const book = new Workbook();
      await book.xlsx.load(res.body as unknown as ArrayBuffer);
      const sheet = book.getWorksheet('合规情况')!;
      const rows = sheet.getSheetValues().slice(2).map((r) => (r as unknown[]).slice(1, 7));
      expect(rows).toEqual([['cncert', 0, 1, 10, 10, 0], ['op-cmcc', 2, 0, 0, 0, 0], ['op-cucc', 0, 0, 0, 0, 1]]);
      // JSON stays the default, and what a browser asks for.
      expect((await w.get('miit', '/v1/compliance?period=2026-11', { accept: 'text/html,*/*;q=0.8' })).headers['content-type']).toMatch(/^application\/json/);
      // A refusal is problem details whatever was asked for.
      expect((await w.get('op-cucc', '/v1/compliance?period=2026-11&unit=op-cmcc', { accept: XLSX_MEDIA_TYPE })).headers['content-type']).toMatch(/^application\/problem\+json/);
    });
  });

  it('answers as /openapi.json documents: Case, ObligationPage, ComplianceReport, and every query parameter', async () => {
    const doc = (await w.get('miit', '/openapi.json')).json<{ components: unknown; paths: Record<string, { get: { parameters?: { name: string }[] } }> }>();
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ $id: 'urn:mmgw:openapi-obl', components: doc.components });
    const check = (schema: string, value: unknown) => {
      const validate = ajv.compile({ $ref: `urn:mmgw:openapi-obl#/components/schemas/${schema}` });
      expect({ schema, ok: validate(value), errors: validate.errors ?? null }).toEqual({ schema, ok: true, errors: null });
    };
    check('Case', (await w.get('op-cmcc', `/v1/cases/${TASK}`)).json());
    check('ObligationPage', (await w.get('op-cmcc', '/v1/obligations?limit=2')).json());
    check('ComplianceReport', (await w.get('miit', '/v1/compliance?period=2026-11')).json());
    expect(doc.paths['/v1/obligations']!.get.parameters!.map((p) => p.name)).toEqual(['state', 'overdue', 'obligation', 'case', 'after', 'limit']);
    expect(doc.paths['/v1/compliance']!.get.parameters!.map((p) => p.name)).toEqual(['period', 'unit']);
  });

  describe('issue 6 "Done when": bad input gets a precise refusal and changes nothing', () => {
    it('a DisposalFeedback for a task number no IncidentNotice opened', async () => {
      const before = await counts();
      const feedback = w.example('disposal-feedback');
      feedback.id = 'op-cmcc-20261201-0001';
      feedback.references = { taskNumber: 'CNCERT-2026-1201-999' };
      feedback.body.taskNumber = 'CNCERT-2026-1201-999';
      const res = await w.send(feedback, '2026-12-01T10:00');
      expect(res.status).toBe(codeInfo('obligation.unknown-task').http);
      expect(res.json<Problem>()).toMatchObject({ code: 'obligation.unknown-task' });
      expect(res.json<Problem>().detail).toContain('CNCERT-2026-1201-999');
      expect(await counts()).toEqual(before);
      // Refused like any other refusal (issue 4, "Bad input"): the gateway's signed Rejection, and a reject entry in the audit.
      expect(res.json<Problem & { rejection?: string }>()).toMatchObject({ errors: [{ code: 'obligation.unknown-task' }], rejection: expect.any(String) });
      const entries = (await w.ds.query(`SELECT kind, details FROM audit_entries WHERE subject = ?`, [feedback.id])) as { kind: string; details: string }[];
      expect(entries.map((e) => [e.kind, (JSON.parse(e.details) as { codes?: string[] }).codes])).toEqual([['reject', ['obligation.unknown-task']]]);
    });

    it('a VerificationResult from anyone but cncert', async () => {
      const before = await counts();
      const verification = w.example('verification-result');
      verification.id = 'op-cmcc-20261201-0002';
      verification.from = 'op-cmcc';
      const res = await w.send(verification, '2026-12-01T10:05');
      // Refused at routing (the mechanism gives the form to cncert alone), with the gateway's signed Rejection.
      expect(res.status).toBe(403);
      expect(res.json<Problem & { rejection?: string }>()).toMatchObject({
        code: 'routing.sender-not-allowed', errors: [{ code: 'routing.sender-not-allowed', path: 'from', message: 'op-cmcc may not send VerificationResult (Art. 11(5)): only cncert may', source: 'Art. 11(5)' }],
        rejection: expect.any(String),
      });
      expect(await counts()).toEqual(before);
      // The case still shows cncert's verification only.
      const c = (await w.get('miit', `/v1/cases/${TASK}`)).json<CaseJson>();
      expect(c.messages.filter((m) => m.type === 'VerificationResult').map((m) => m.from)).toEqual(['cncert']);
    });
  });
});
