import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workbook } from 'exceljs';
import { clientIdentity, GatewayClient } from '../../../adapters/cli/client';
import { XLSX } from '../../../adapters/http/routes/monthly';
import { decode } from '../../../contracts/codec';
import { ObligationEntity } from '../../../gateway/obligations/entities';
import { MessageEntity } from '../../../gateway/store/entities/message';
import { runCli } from '../../support/capture-io';
import { tempFiles } from './cli-files';
import { acceptedId, openGatewayWorld, type GatewayWorld } from './gateway-world';

jest.setTimeout(90_000);

const EXAMPLES = path.resolve(__dirname, '..', '..', '..', 'contracts', 'examples');
const LABELS = ['序号', '报送报文编号', '处置时间', '恶意程序名称', '已处置的控制服务器IP地址及其使用的域名、端口', '已处置的传播服务器IP地址及其使用的域名、端口', '已直接提示的用户数量', '未处置的控制服务器IP地址及其使用的域名、端口', '未处置的传播服务器IP地址及其使用的域名、端口', '未处置的原因', '备注'];
type Cells = Array<string | number | null>;
const GOOD: Cells[] = [
  [1, 'op-cmcc-20261128-0008', '2026-11-27T18:00:00+08:00', 'a.privacy.emial.d', '203.0.113.88 mail-sync.cn 25', '198.51.100.61 sys-update.cn 80', 298, null, null, null, '网内封堵。'],
  [2, 'op-cmcc-20261128-0008', '2026-11-28T09:00:00+08:00', 's.payment.sysantirus.g.[伪系统杀毒]', null, null, 47, null, '192.0.2.150', '传播源为个人论坛附件，已提请CNCERT协调。', null],
];
// Row 3 of the sheet: a bad IP (E3), a count that is no number (G3), a server left undisposed without the reason (J3).
const BROKEN: Cells[] = [GOOD[0]!, [2, null, '2026-11-28T09:00:00+08:00', 'a.privacy.emial.d', '999.1.1.1', null, 'many', '192.0.2.9', null, null, null]];

async function sheet(rows: Cells[]): Promise<Buffer> {
  const wb = new Workbook();
  const ws = wb.addWorksheet('Sheet1');
  ws.addRow(LABELS);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const FILER = ['--reporter', '李强', '--phone', '010-66006688', '--email', 'security@chinamobile.example.cn'];

describe('monthly work (issue 6, item 6): mmgw monthly-summary, mmgw monthly-feedback import, their HTTP routes', () => {
  let w: GatewayWorld;
  let files: Record<string, string>;
  let client: (as: string) => GatewayClient;
  beforeAll(async () => {
    w = await openGatewayWorld();
    files = tempFiles({ 'good.xlsx': await sheet(GOOD), 'broken.xlsx': await sheet(BROKEN), 'not.xlsx': 'plain text' });
    client = (as) => new GatewayClient(w.server.url, clientIdentity({ as, dataDir: w.dataDir }));
    // op-cmcc reports its level IV events of November in a batch (the example: discovered 27 Nov).
    const sent = await w.cli('send', path.join(EXAMPLES, 'incident-report-batch.json'), '--as', 'op-cmcc');
    expect(sent.code).toBe(0);
  });
  afterAll(async () => w.close());

  it('cncert drafts the November summary of level IV events, signs and sends it with mmgw send, which meets its monthly obligation', async () => {
    const out = path.join(path.dirname(files['good.xlsx']!), 'summary.json');
    const r = await w.cli('monthly-summary', '--period', '2026-11', '--as', 'cncert', '--out', out, '--compiled-by', '陈静');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^draft cncert-\\d{8}-[0-9a-f]{8}: MonthlyGeneralSummary 2026-11, 2 level IV events written to ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}; review it, then: mmgw send`));
    const draft = JSON.parse(fs.readFileSync(out, 'utf8')) as { to: string[]; cc: string[]; body: { compiledBy: string; counts: { events: number; lossYuan: number }; events: { reportId: string }[] } };
    expect([draft.to, draft.cc, draft.body.compiledBy, draft.body.counts.events, draft.body.counts.lossYuan]).toEqual([['op-cmcc'], ['miit'], '陈静', 2, 1270.4]);
    expect(draft).not.toHaveProperty('signature');

    const xml = await w.cli('monthly-summary', '--period', '2026-11', '--as', 'cncert', '--format', 'xml');
    expect(xml.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Message xmlns="urn:mmgw:message:1">\n {2}<id>cncert-/);
    expect(decode(Buffer.from(xml.stdout)).document).toMatchObject({ type: 'MonthlyGeneralSummary', body: { month: '2026-11' } });

    const sent = await w.cli('send', out, '--as', 'cncert');
    expect(sent.code).toBe(0);
    const id = acceptedId(sent.stdout);
    const obligation = await w.gateway.dataSource.getRepository(ObligationEntity).findOneByOrFail({ obligation: 'monthly-general-summary', subject: 'month:2026-11' });
    expect([obligation.state === 'met' || obligation.state === 'met-late', obligation.closedBy]).toEqual([true, id]);
  });

  it('only cncert drafts the summary; a bad period is refused naming it', async () => {
    const op = await w.cli('monthly-summary', '--period', '2026-11', '--as', 'op-cmcc');
    expect(op.code).toBe(1);
    expect(op.stderr).toMatch(/^refused: HTTP 403 monthly\.not-cncert: the MonthlyGeneralSummary is compiled by cncert \(Art\. 10\(3\)\)/m);
    const bad = await w.cli('monthly-summary', '--period', '2026-13', '--as', 'cncert');
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('--period must be a calendar month written YYYY-MM') as unknown]);
    const api = await client('cncert').send('GET', '/v1/monthly-summary/draft?period=11-2026');
    expect(api.status).toBe(400);
    expect(JSON.parse(api.body.toString())).toMatchObject({ code: 'monthly.bad-period', errors: [{ path: 'query.period' }] });
  });

  it('mmgw monthly-feedback import turns a good sheet into the MonthlyDisposalFeedback that op-cmcc signs and sends', async () => {
    const out = path.join(path.dirname(files['good.xlsx']!), 'feedback.json');
    const r = await runCli('monthly-feedback', 'import', files['good.xlsx']!, '--from', 'op-cmcc', '--period', '2026-11', ...FILER, '--out', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^MonthlyDisposalFeedback op-cmcc-\d{8}-[0-9a-f]{8}: 2026-11, 2 rows written to .*feedback\.json; sign and send it: mmgw send .*feedback\.json --as op-cmcc\n$/);
    const doc = JSON.parse(fs.readFileSync(out, 'utf8')) as { from: string; to: string[]; body: Record<string, unknown> & { rows: unknown[] } };
    expect([doc.from, doc.to, doc.body.month, doc.body.reportingUnit, doc.body.reporter, doc.body.rows.length]).toEqual(['op-cmcc', ['cncert'], '2026-11', '中国移动通信集团有限公司', '李强', 2]);
    const sent = await w.cli('send', out, '--as', 'op-cmcc');
    expect(sent.code).toBe(0);
    const id = acceptedId(sent.stdout);
    const monthly = await w.gateway.dataSource.getRepository(ObligationEntity).findOneByOrFail({ obligation: 'disposal-feedback', party: 'op-cmcc', subject: 'month:2026-11' });
    expect(monthly.closedBy).toBe(id);
  });

  it('a sheet with a broken row is refused with every error at its cell (exit 1), and nothing is written or sent', async () => {
    const out = path.join(path.dirname(files['broken.xlsx']!), 'broken.json');
    const before = await w.gateway.dataSource.getRepository(MessageEntity).count();
    const r = await runCli('monthly-feedback', 'import', files['broken.xlsx']!, '--from', 'op-cmcc', '--period', '2026-11', ...FILER, '--out', out);
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toMatch(/compliance\.sheet-invalid/);
    expect(r.stderr).toContain('nothing was accepted');
    for (const cell of ['Sheet1!E3: contract.ip', 'Sheet1!G3: contract.', 'Sheet1!J3: contract.']) expect(r.stderr).toContain(cell);
    expect(fs.existsSync(out)).toBe(false);
    expect(await w.gateway.dataSource.getRepository(MessageEntity).count()).toBe(before);

    const missing = await runCli('monthly-feedback', 'import', files['good.xlsx']!, '--from', 'op-cmcc', '--period', '2026-11');
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('give the filer boxes of the form: --reporter, --phone, --email') as unknown]);
    expect((await runCli('monthly-feedback', 'import', files['good.xlsx']!, '--from', 'op-cmcc', '--period', '2026-1', ...FILER)).code).toBe(2);
    expect((await runCli('monthly-feedback', 'import', files['not.xlsx']!, '--from', 'op-cmcc', '--period', '2026-11', ...FILER)).stderr).toContain('compliance.sheet-unreadable');
  });

  it('POST /v1/monthly-feedback/convert: the document for the caller, or a 422 naming every row and cell; the filer boxes come from the query or the registered contacts', async () => {
    const xlsx = fs.readFileSync(files['good.xlsx']!);
    const q = 'period=2026-11&reporter=%E6%9D%8E%E5%BC%BA&phone=010-66006688&email=security%40chinamobile.example.cn';
    const ok = await client('op-cmcc').send('POST', `/v1/monthly-feedback/convert?${q}`, { bytes: xlsx, type: XLSX });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body.toString())).toMatchObject({ type: 'MonthlyDisposalFeedback', from: 'op-cmcc', to: ['cncert'], body: { month: '2026-11', reporter: '李强', rows: [{ seq: 1 }, { seq: 2 }] } });

    const broken = await client('op-cmcc').send('POST', `/v1/monthly-feedback/convert?${q}`, { bytes: fs.readFileSync(files['broken.xlsx']!), type: XLSX });
    expect(broken.status).toBe(422);
    const problem = JSON.parse(broken.body.toString()) as { code: string; errors: { path: string; code: string; source: string }[] };
    expect(problem.code).toBe('compliance.sheet-invalid');
    expect(problem).toMatchObject({ status: 422, detail: expect.stringContaining('Sheet1!E3: contract.ip') as unknown });
    expect(problem.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['Sheet1!E3', 'Sheet1!G3', 'Sheet1!J3']));
    expect(problem.errors.find((e) => e.path === 'Sheet1!E3')).toMatchObject({ code: 'contract.ip' });

    const text = await client('op-cmcc').send('POST', `/v1/monthly-feedback/convert?${q}`, { bytes: Buffer.from('a,b'), type: 'text/csv' });
    expect([text.status, (JSON.parse(text.body.toString()) as { code: string }).code]).toEqual([415, 'monthly.not-a-spreadsheet']);
    // op-cbn registered no contacts: every missing filer box is named.
    const noFiler = await client('op-cbn').send('POST', '/v1/monthly-feedback/convert?period=2026-11', { bytes: xlsx, type: XLSX });
    expect(noFiler.status).toBe(422);
    expect(JSON.parse(noFiler.body.toString())).toMatchObject({ code: 'monthly.missing-filer', errors: [{ path: 'query.reporter' }, { path: 'query.phone' }, { path: 'query.email' }] });
  });
});
