import { Workbook } from 'exceljs';
import { beijingDateOf } from '../../gateway/calendar';
import type { ContactPerson, ContactSheet } from '../../gateway/contacts';

/** The columns of the MIIT contact list, in order (Art. 17). */
export const CONTACT_EXPORT_HEADERS = ['单位', '主管领导', '责任部门负责人', '联系人', '电话', '手机', 'E-Mail', '生效日期', '报送日期'] as const;

/** One line of the export: the cells under CONTACT_EXPORT_HEADERS, all text. */
export type ContactExportRow = readonly string[];

/**
 * The rows of the export: one per person, the unit's leader in charge first, then its
 * department head, then its contact persons in the unit's order; the person's name stands in
 * the column of their role, their phone, mobile and e-mail beside it; dates in Beijing time.
 */
export function contactExportRows(sheets: readonly ContactSheet[]): ContactExportRow[] {
  const rows: ContactExportRow[] = [];
  for (const s of sheets) {
    const line = (role: 0 | 1 | 2, p: ContactPerson): ContactExportRow => [
      s.unit, role === 0 ? p.name : '', role === 1 ? p.name : '', role === 2 ? p.name : '',
      p.phone ?? '', p.mobile ?? '', p.email ?? '', s.effectiveDate, beijingDateOf(s.reportedAt),
    ];
    rows.push(line(0, s.leaderInCharge), line(1, s.departmentHead), ...s.contacts.map((c) => line(2, c)));
  }
  return rows;
}

/**
 * The contact list as an .xlsx workbook (one sheet 联系人, bold frozen header row). Every cell is
 * written as text, so phone numbers keep their leading zeros and `+` and nothing is read as a formula.
 */
export async function contactsToXlsx(sheets: readonly ContactSheet[]): Promise<Buffer> {
  const workbook = new Workbook();
  workbook.creator = 'mmgw';
  const ws = workbook.addWorksheet('联系人', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = CONTACT_EXPORT_HEADERS.map((header, i) => ({ header, width: i === 0 ? 32 : i === 6 ? 30 : 16 }));
  ws.getRow(1).font = { bold: true };
  // An absent value is an empty cell, not an empty string.
  for (const row of contactExportRows(sheets)) ws.addRow(row.map((cell) => (cell === '' ? null : cell)));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** One CSV field as RFC 4180 writes it: in double quotes (inner quotes doubled) when it holds a comma, quote, CR or LF. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The contact list as CSV text: RFC 4180 (CRLF line ends, quoting by csvField), preceded by a
 * UTF-8 byte-order mark so Excel reads the Chinese; write it with the `utf8` encoding.
 */
export function contactsToCsv(sheets: readonly ContactSheet[]): string {
  const lines = [CONTACT_EXPORT_HEADERS, ...contactExportRows(sheets)].map((row) => row.map(csvField).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
