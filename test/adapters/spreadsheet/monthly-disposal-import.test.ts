import { Workbook } from 'exceljs';
import type { GatewayError } from '../../../contracts/errors/gateway-error';
import { importMonthlyDisposalFeedback, type MonthlySheetHeader, type SheetError } from '../../../adapters/spreadsheet/monthly-disposal-import';

const HEADER: MonthlySheetHeader = {
  month: '2026-11', reportingUnit: '中国移动通信集团有限公司', reporter: '李强', phone: '010-66006688', email: 'security@chinamobile.example.cn', feedbackAt: '2026-12-07T09:55:00+08:00',
};

const LABELS = ['序号', '报送报文编号', '处置时间', '恶意程序名称', '已处置的控制服务器IP地址及其使用的域名、端口', '已处置的传播服务器IP地址及其使用的域名、端口', '已直接提示的用户数量', '未处置的控制服务器IP地址及其使用的域名、端口', '未处置的传播服务器IP地址及其使用的域名、端口', '未处置的原因', '备注'];

type Cells = Array<string | number | Date | null>;

const GOOD_ROWS: Cells[] = [
  [1, 'op-cmcc-20261128-0008', '2026-11-27T18:00:00+08:00', 'a.privacy.emial.d', '203.0.113.88 mail-sync.cn 25', '198.51.100.61 sys-update.cn 80; 2001:db8::45 443', 298, null, null, null, '网内封堵。'],
  // A date cell: read as Beijing wall-clock time.
  [2, null, new Date(Date.UTC(2026, 10, 28, 9, 0, 0)), 's.payment.sysantirus.g.[伪系统杀毒]', null, null, 47, null, '192.0.2.150', '传播源为个人论坛附件，已提请CNCERT协调。', null],
];

async function sheet(rows: Cells[]): Promise<Buffer> {
  const wb = new Workbook();
  const ws = wb.addWorksheet('Sheet1');
  ws.addRow(LABELS);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function refusal(xlsx: Buffer): Promise<GatewayError> {
  try {
    await importMonthlyDisposalFeedback(xlsx, HEADER);
  } catch (e) {
    return e as GatewayError;
  }
  throw new Error('the sheet was accepted');
}

describe('importMonthlyDisposalFeedback (level IV monthly spreadsheet, Art. 11(4))', () => {
  it('a good sheet becomes a MonthlyDisposalFeedback body, row by row', async () => {
    const { sheet: name, body } = await importMonthlyDisposalFeedback(await sheet(GOOD_ROWS), HEADER);
    expect(name).toBe('Sheet1');
    expect(body).toMatchObject({ month: '2026-11', reportingUnit: HEADER.reportingUnit, feedbackAt: HEADER.feedbackAt });
    expect(body.rows).toEqual([
      {
        seq: 1, reportId: 'op-cmcc-20261128-0008', disposedAt: '2026-11-27T18:00:00+08:00', malwareName: 'a.privacy.emial.d',
        disposedControlServers: [{ ip: '203.0.113.88', domain: 'mail-sync.cn', port: 25 }],
        disposedDistributionServers: [{ ip: '198.51.100.61', domain: 'sys-update.cn', port: 80 }, { ip: '2001:db8::45', port: 443 }],
        usersNotified: 298, remarks: '网内封堵。',
      },
      {
        seq: 2, disposedAt: '2026-11-28T09:00:00+08:00', malwareName: 's.payment.sysantirus.g.[伪系统杀毒]', usersNotified: 47,
        undisposedDistributionServers: [{ ip: '192.0.2.150' }], undisposedReason: '传播源为个人论坛附件，已提请CNCERT协调。',
      },
    ]);
  });

  it('one broken row refuses the whole sheet, every error named by row and cell, and nothing is returned', async () => {
    const broken: Cells[] = [
      GOOD_ROWS[0] as Cells,
      // Row 3: a bad IP, a count that is not a number, a server left undisposed without the reason.
      [2, null, '2026-11-28T09:00:00+08:00', 'a.privacy.emial.d', '999.1.1.1', null, 'many', '192.0.2.9', null, null, null],
      GOOD_ROWS[1] as Cells,
      // Row 5: no malware name, a server cell that is not "IP [domain] [port]".
      [4, null, '2026-11-29T09:00:00+08:00', null, null, '192.0.2.1 a.cn b.cn', 3, null, null, null, null],
    ];
    const xlsx = await sheet(broken);
    const copy = Buffer.from(xlsx);
    const e = await refusal(xlsx);
    expect(e.code).toBe('compliance.sheet-invalid');
    const errors = (e.facts as { errors: SheetError[] }).errors;
    const at = errors.map((x) => [x.cell, x.code]);
    expect(at).toEqual(expect.arrayContaining([
      ['Sheet1!E3', 'contract.ip'],
      ['Sheet1!G3', expect.stringMatching(/^contract\./) as unknown],
      ['Sheet1!J3', expect.stringMatching(/^contract\./) as unknown],
      ['Sheet1!D5', 'contract.required'],
      ['Sheet1!F5', 'contract.format'],
    ]));
    expect(errors.every((x) => x.row === 3 || x.row === 5)).toBe(true);
    expect(e.message).toContain('Sheet1!E3: contract.ip');
    expect(e.message).toContain('nothing was accepted');
    expect(xlsx.equals(copy)).toBe(true);
  });

  it('refuses bytes that are not a workbook and a sheet without a required column', async () => {
    await expect(importMonthlyDisposalFeedback(Buffer.from('not a workbook'), HEADER)).rejects.toMatchObject({ code: 'compliance.sheet-unreadable' });
    const wb = new Workbook();
    wb.addWorksheet('Sheet1').addRows([['序号', '处置时间'], [1, '2026-11-27T18:00:00+08:00']]);
    const e = await refusal(Buffer.from(await wb.xlsx.writeBuffer()));
    expect([e.code, e.message]).toEqual(['compliance.sheet-unreadable', expect.stringContaining('恶意程序名称 (malware name)')]);
  });

  it('a bad header box is reported as such, not at a cell', async () => {
    const e = await importMonthlyDisposalFeedback(await sheet(GOOD_ROWS), { ...HEADER, month: '2026-13' }).catch((x: GatewayError) => x);
    expect((e as GatewayError).code).toBe('compliance.sheet-invalid');
    expect(((e as GatewayError).facts as { errors: SheetError[] }).errors.map((x) => x.cell)).toEqual(['(header) month']);
  });
});
