import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workbook } from 'exceljs';
import { applyContactUpdate } from '../../../gateway/contacts';
import { openStore, transaction } from '../../../gateway/store';
import { migrations } from '../../../migrations';
import { runCli } from '../../support/capture-io';
import { addInstitutions, updateBody } from '../../gateway/contacts/support';

// `mmgw contacts export|show` read the database of MMGW_DATABASE_URL, like `mmgw migrate`.
describe('mmgw contacts', () => {
  const saved = process.env.MMGW_DATABASE_URL;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-cli-contacts-'));
    process.env.MMGW_DATABASE_URL = `sqlite:${path.join(dir, 'mmgw.sqlite')}`;
    expect((await runCli('migrate')).code).toBe(0);
    const ds = await openStore(process.env.MMGW_DATABASE_URL, { migrations });
    try {
      await addInstitutions(ds, [{ code: 'op-cmcc', kind: 'operator', name: '中国移动' }, { code: 'op-cucc', kind: 'operator', name: '中国联通' }]);
      const now = new Date('2026-12-01T01:30:00Z');
      await transaction(ds, (m) => applyContactUpdate(m, { institution: 'op-cmcc', body: updateBody(), messageId: 'op-cmcc-20261201-0001', changedBy: { institution: 'op-cmcc' }, reportedAt: now }, now));
      const later = new Date('2026-12-09T02:00:00Z');
      const body = updateBody({ effectiveDate: '2026-12-02', contacts: [{ name: '王五, "小王"', phone: '010-1234 5678' }] });
      await transaction(ds, (m) => applyContactUpdate(m, { institution: 'op-cmcc', body, changedBy: { institution: 'op-cmcc', user: 'admin.li' }, reportedAt: later }, later));
    } finally {
      await ds.destroy();
    }
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.MMGW_DATABASE_URL;
    else process.env.MMGW_DATABASE_URL = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exports .xlsx that exceljs reads back', async () => {
    const out = path.join(dir, 'contacts.xlsx');
    const r = await runCli('contacts', 'export', '--format', 'xlsx', '--out', out);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('wrote 3 contact row(s) of 1 unit(s)');
    const wb = new Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.getWorksheet('联系人');
    expect((ws?.getRow(1).values as unknown[]).slice(1)).toEqual(['单位', '主管领导', '责任部门负责人', '联系人', '电话', '手机', 'E-Mail', '生效日期', '报送日期']);
    expect((ws?.getRow(4).values as unknown[]).slice(1)).toEqual(['中国移动通信集团有限公司', undefined, undefined, '王五, "小王"', '010-1234 5678', undefined, undefined, '2026-12-02', '2026-12-09']);
  });

  it('exports CSV (format from --format or the .csv extension) with BOM and quoting', async () => {
    const out = path.join(dir, 'contacts.csv');
    expect((await runCli('contacts', 'export', '--out', out)).code).toBe(0);
    const bytes = fs.readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('\r\n中国移动通信集团有限公司,,,"王五, ""小王""",010-1234 5678,,,2026-12-02,2026-12-09\r\n');
  });

  it('refuses an unknown format and a missing --out with exit 2', async () => {
    const bad = await runCli('contacts', 'export', '--format', 'ods', '--out', path.join(dir, 'x.ods'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Allowed choices are xlsx, csv/);
    expect((await runCli('contacts', 'export')).code).toBe(2);
  });

  it('shows a unit\'s contacts and its history with the field-level diff', async () => {
    const r = await runCli('contacts', 'show', 'op-cmcc');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('op-cmcc 中国移动通信集团有限公司 — 信息安全管理与运行中心');
    expect(r.stdout).toContain('主管领导 leader in charge: 王建国, phone 010-66006600, mobile 13901010101, e-mail wangjg@chinamobile.example.cn');
    expect(r.stdout).toContain('联系人 contact 1: 王五, "小王", phone 010-1234 5678');
    expect(r.stdout).toMatch(/#1 reported 2026-12-01T09:30:00\+08:00 by op-cmcc \(message op-cmcc-20261201-0001\), effective 2026-11-30, on time/);
    // Effective Wednesday 2 Dec: due at the end of Monday 7 Dec; reported on the 9th.
    expect(r.stdout).toMatch(/#2 reported 2026-12-09T10:00:00\+08:00 by op-cmcc\/admin\.li, effective 2026-12-02, LATE \(due 2026-12-08T00:00:00\+08:00\)/);
    expect(r.stdout).toContain('    contacts[0].name: 李强 → 王五, "小王"');
    expect(r.stdout).toContain('    contacts[1].name: 周敏 → —');
  });

  it('exits 1 for a unit not in the registry or without contacts', async () => {
    const unknown = await runCli('contacts', 'show', 'op-nobody');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('[contacts.unknown-institution]');
    const none = await runCli('contacts', 'show', 'op-cucc');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('op-cucc (中国联通) has reported no contacts yet (Art. 17) [contacts.no-contacts]');
  });
});
