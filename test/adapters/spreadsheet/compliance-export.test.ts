import { Workbook } from 'exceljs';
import { complianceToXlsx, COMPLIANCE_HEADERS } from '../../../adapters/spreadsheet/compliance-export';
import type { ComplianceReport } from '../../../gateway/compliance';

const REPORT: ComplianceReport = {
  period: '2026-11', from: '2026-10-31T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z', asOf: '2026-12-01T02:00:00.000Z',
  units: [
    {
      unit: 'op-cmcc', metOnTime: 2, metLate: 2, maxLateMinutes: 90, meanLateMinutes: 60, openPastDue: 0, openNotYetDue: 0, waived: 0, underGraded: 1, reportsChecked: 4, reportsUnchecked: 0,
      late: [
        { id: 2, obligation: 'event-report', due: '2026-11-28T03:20:00.000Z', closedAt: '2026-11-28T03:50:00.000Z', lateMinutes: 30 },
        { id: 3, obligation: 'event-report', due: '2026-11-28T03:20:00.000Z', closedAt: '2026-11-28T04:50:00.000Z', lateMinutes: 90 },
      ],
      overdue: [],
      underGradedReports: [{ messageId: 'op-cmcc-c', unit: 'op-cmcc', reported: 'III', required: 'II', acceptedAt: '2026-11-28T02:05:00.000Z' }],
    },
    {
      unit: 'op-cucc', metOnTime: 0, metLate: 0, maxLateMinutes: 0, meanLateMinutes: 0, openPastDue: 1, openNotYetDue: 0, waived: 0, underGraded: 0, reportsChecked: 0, reportsUnchecked: 0,
      late: [], overdue: [{ id: 9, obligation: 'disposal-feedback', due: '2026-11-28T06:00:00.000Z', overdueMinutes: 4440 }],
      underGradedReports: [{ messageId: 'op-cucc-batch', seq: 2, unit: 'op-cucc', reported: 'IV', required: 'III', acceptedAt: '2026-11-28T09:30:00.000Z' }],
    },
  ],
};

describe('complianceToXlsx', () => {
  it('writes a workbook that reads back: Chinese headers first, one row per unit, each finding in the detail sheet', async () => {
    const wb = new Workbook();
    await wb.xlsx.load((await complianceToXlsx(REPORT)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['合规情况', '明细', '说明']);
    const rows = (name: string) => {
      const out: unknown[][] = [];
      wb.getWorksheet(name)?.eachRow((r) => out.push((r.values as unknown[]).slice(1)));
      return out;
    };
    const summary = rows('合规情况');
    expect(summary[0]).toEqual([...COMPLIANCE_HEADERS]);
    expect(String(summary[0]?.[0])).toMatch(/^单位/);
    expect(summary.slice(1)).toEqual([
      ['op-cmcc', 2, 2, 90, 60, 0, 0, 0, 1, 4, 0],
      ['op-cucc', 0, 0, 0, 0, 1, 0, 0, 0, 0, 0],
    ]);
    const detail = rows('明细').slice(1);
    expect(detail.map((r) => [r[0], r[1], r[3], r[6]])).toEqual([
      ['op-cmcc', '逾期履行 met late', '2', 30],
      ['op-cmcc', '逾期履行 met late', '3', 90],
      ['op-cmcc', '定级偏低 under-graded', 'op-cmcc-c', undefined],
      ['op-cucc', '逾期未履行 open past due', '9', 4440],
      ['op-cucc', '定级偏低 under-graded', 'op-cucc-batch#2', undefined],
    ]);
    expect(rows('明细')[5]?.slice(7)).toEqual(['IV', 'III']);
    expect(rows('说明')[0]).toEqual(['期间 period', '2026-11']);
  });
});
