import { Workbook } from 'exceljs';
import type { ComplianceReport } from '../../gateway/compliance';

/** The columns of the summary sheet, Chinese first then English. */
export const COMPLIANCE_HEADERS = [
  '单位 unit', '按时履行 met on time', '逾期履行 met late', '最长逾期（分钟） max minutes late', '平均逾期（分钟） mean minutes late',
  '逾期未履行 open past due', '未到期 open, not yet due', '已豁免 waived', '定级偏低的报告 under-graded reports', '已核查的报告 reports checked', '未能核查的报告 reports not checked (purged)',
] as const;

/** The columns of the detail sheet. */
export const COMPLIANCE_DETAIL_HEADERS = ['单位 unit', '情形 finding', '义务或报文 obligation or message', '编号 id', '截止时间 due (UTC)', '履行时间 met at (UTC)', '分钟 minutes', '所报级别 level stated', '应定级别 level required'] as const;

/**
 * The Art. 19 compliance report as an .xlsx workbook: sheet 合规情况 (one row per unit, the
 * figures as numbers) and sheet 明细 (each late, past-due and under-graded item); bold frozen headers.
 */
export async function complianceToXlsx(report: ComplianceReport): Promise<Buffer> {
  const workbook = new Workbook();
  workbook.creator = 'mmgw';
  const summary = workbook.addWorksheet('合规情况', { views: [{ state: 'frozen', ySplit: 1 }] });
  summary.columns = COMPLIANCE_HEADERS.map((header, i) => ({ header, width: i === 0 ? 16 : 20 }));
  summary.getRow(1).font = { bold: true };
  for (const u of report.units) {
    summary.addRow([u.unit, u.metOnTime, u.metLate, u.maxLateMinutes, u.meanLateMinutes, u.openPastDue, u.openNotYetDue, u.waived, u.underGraded, u.reportsChecked, u.reportsUnchecked]);
  }
  const detail = workbook.addWorksheet('明细', { views: [{ state: 'frozen', ySplit: 1 }] });
  detail.columns = COMPLIANCE_DETAIL_HEADERS.map((header) => ({ header, width: 22 }));
  detail.getRow(1).font = { bold: true };
  for (const u of report.units) {
    for (const l of u.late) detail.addRow([u.unit, '逾期履行 met late', l.obligation, String(l.id), l.due, l.closedAt, l.lateMinutes, null, null]);
    for (const o of u.overdue) detail.addRow([u.unit, '逾期未履行 open past due', o.obligation, String(o.id), o.due, null, o.overdueMinutes, null, null]);
    for (const g of u.underGradedReports) detail.addRow([u.unit, '定级偏低 under-graded', g.seq === undefined ? 'IncidentReport' : 'IncidentReportBatch', g.seq === undefined ? g.messageId : `${g.messageId}#${g.seq}`, null, g.acceptedAt, null, g.reported, g.required]);
  }
  workbook.addWorksheet('说明').addRows([
    ['期间 period', report.period],
    ['起 from (UTC)', report.from],
    ['止 to (UTC)', report.to],
    ['统计时点 as of (UTC)', report.asOf],
  ]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
