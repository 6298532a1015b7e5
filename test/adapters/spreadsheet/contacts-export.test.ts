import { Workbook } from 'exceljs';
import { CONTACT_EXPORT_HEADERS, contactsToCsv, contactsToXlsx, csvField } from '../../../adapters/spreadsheet/contacts-export';
import type { ContactSheet } from '../../../gateway/contacts';

const sheet = (over: Partial<ContactSheet> = {}): ContactSheet => ({
  institution: 'op-cmcc', unit: '中国移动通信集团有限公司', department: '信息安全管理与运行中心',
  leaderInCharge: { name: '王建国', phone: '010-66006600', mobile: '13901010101', email: 'wangjg@chinamobile.example.cn' },
  departmentHead: { name: '刘洋', mobile: '13901010202' },
  contacts: [{ name: '李强', phone: '010-66006688', email: 'security@chinamobile.example.cn' }, { name: '周敏', mobile: '+86 139 0101 0404' }],
  effectiveDate: '2026-11-30',
  reportedAt: new Date('2026-11-30T17:25:00Z'), // 2026-12-01 01:25 in Beijing
  updatedAt: new Date('2026-11-30T17:25:00Z'), confirmedAt: null, confirmedBy: null,
  ...over,
});

describe('contacts export for MIIT', () => {
  it('writes an .xlsx that exceljs reads back with the Chinese headers and one row per person, as text', async () => {
    const bytes = await contactsToXlsx([sheet(), sheet({ institution: 'op-cucc', unit: '中国联合网络通信集团有限公司', contacts: [{ name: '赵六', phone: '010-1234 5678' }], leaderInCharge: { name: '钱七' }, departmentHead: { name: '孙八' } })]);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK'); // a zip container
    const wb = new Workbook();
    await wb.xlsx.load(bytes as unknown as Parameters<typeof wb.xlsx.load>[0]); // exceljs types predate Node's generic Buffer
    const ws = wb.getWorksheet('联系人');
    if (ws === undefined) throw new Error('no sheet 联系人');
    const values = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual([...CONTACT_EXPORT_HEADERS]);
    expect(values(1)).toEqual(['单位', '主管领导', '责任部门负责人', '联系人', '电话', '手机', 'E-Mail', '生效日期', '报送日期']);
    expect(ws.rowCount).toBe(1 + 4 + 3);
    expect(values(2)).toEqual(['中国移动通信集团有限公司', '王建国', undefined, undefined, '010-66006600', '13901010101', 'wangjg@chinamobile.example.cn', '2026-11-30', '2026-12-01']);
    expect(values(3).slice(0, 6)).toEqual(['中国移动通信集团有限公司', undefined, '刘洋', undefined, undefined, '13901010202']);
    expect(values(5)[3]).toBe('周敏');
    expect(values(5)[5]).toBe('+86 139 0101 0404');
    expect(typeof ws.getCell('F2').value).toBe('string'); // a mobile number stays text, not 13901010101 as a number
    expect(values(8).slice(0, 5)).toEqual(['中国联合网络通信集团有限公司', undefined, undefined, '赵六', '010-1234 5678']);
  });

  it('quotes CSV fields by RFC 4180: commas, quotes and line breaks; Chinese as is', () => {
    expect(csvField('plain 中文')).toBe('plain 中文');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line1\nline2')).toBe('"line1\nline2"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField('')).toBe('');
  });

  it('writes CSV as UTF-8 with a byte-order mark, CRLF rows, headers first', () => {
    const csv = contactsToCsv([sheet({ unit: '某公司, "安全"部\n北京', contacts: [{ name: '李强' }] })]);
    const bytes = Buffer.from(csv, 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('单位,主管领导,责任部门负责人,联系人,电话,手机,E-Mail,生效日期,报送日期');
    expect(lines[1]).toBe('"某公司, ""安全""部\n北京",王建国,,,010-66006600,13901010101,wangjg@chinamobile.example.cn,2026-11-30,2026-12-01');
    expect(lines[3]).toBe('"某公司, ""安全""部\n北京",,,李强,,,,2026-11-30,2026-12-01');
    expect(lines).toHaveLength(5); // header, 3 persons, and the empty string after the final CRLF
    expect(lines[4]).toBe('');
  });

  it('reads back through a strict RFC 4180 parser to the same cells', () => {
    const tricky = sheet({ unit: 'A, "B"\r\nC 单位', contacts: [{ name: '"引号"', email: 'x@example.cn' }] });
    const csv = contactsToCsv([tricky]);
    const rows = parseCsv(csv.slice(1));
    expect(rows[0]).toEqual([...CONTACT_EXPORT_HEADERS]);
    expect(rows[3]).toEqual(['A, "B"\r\nC 单位', '', '', '"引号"', '', '', 'x@example.cn', '2026-11-30', '2026-12-01']);
  });
});

/** A strict RFC 4180 reader for the test: quoted fields may hold anything, others no quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') { field += '"'; i += 2; } else if (text[i] === '"') { i += 1; break; } else { field += text[i]; i += 1; }
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r') { if (text[i] === '"') throw new Error('bare quote'); field += text[i]; i += 1; }
    }
    row.push(field);
    if (text[i] === ',') i += 1;
    else if (text.startsWith('\r\n', i)) { rows.push(row); row = []; i += 2; } else if (i < text.length) throw new Error(`unexpected ${text[i]}`);
  }
  return rows;
}
