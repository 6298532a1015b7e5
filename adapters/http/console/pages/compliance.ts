import type { EntityManager } from 'typeorm';
import { beijingWallClock } from '../../../../gateway/calendar';
import { complianceReport, parsePeriod, type Period } from '../../../../gateway/compliance';
import { ObligationEntity } from '../../../../gateway/obligations';
import { html, raw } from '../html';
import type { ConsolePage, PageContext } from '../page';
import { barChart } from '../svg-chart';
import { ANY_ROLE } from '../roles';

/** The months of the trend chart, ending with the period shown. */
const MONTHS = 6;

const monthOf = (d: Date): string => beijingWallClock(d).slice(0, 7);
function previous(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const t = new Date(Date.UTC(y, m - 1 - n, 1));
  return t.toISOString().slice(0, 7);
}

/**
 * One month's totals: obligations due in it met on time, met late, still open past due at `now`
 * (of `unit` when given); a range on the index (due_at, party) of migration 1764381900000.
 */
export function monthTotalsQuery(manager: EntityManager, p: Period, now: Date, unit?: string) {
  const qb = manager.createQueryBuilder(ObligationEntity, 'o')
    .select('SUM(CASE WHEN o.state = :met AND o.closedAt <= o.due THEN 1 ELSE 0 END)', 'onTime')
    .addSelect('SUM(CASE WHEN o.state = :metLate OR (o.state = :met AND o.closedAt > o.due) THEN 1 ELSE 0 END)', 'late')
    .addSelect('SUM(CASE WHEN o.state = :open AND o.due < :now THEN 1 ELSE 0 END)', 'overdue')
    .where('o.due >= :start AND o.due < :end', { start: p.start, end: p.end })
    .setParameters({ met: 'met', metLate: 'met-late', open: 'open', now });
  if (unit !== undefined) qb.andWhere('o.party = :unit', { unit });
  return qb;
}

/** Per month: obligations due in it met on time, met late, still open past due (one grouped query per month on the due_at index). */
async function trend(c: PageContext, last: string) {
  const months = Array.from({ length: MONTHS }, (_, i) => previous(last, MONTHS - 1 - i));
  const out: { month: string; onTime: number; late: number; overdue: number }[] = [];
  for (const month of months) {
    const qb = monthTotalsQuery(c.ds.manager, parsePeriod(month), c.now, c.scope ?? undefined);
    const r = await qb.getRawOne<{ onTime: string | number | null; late: string | number | null; overdue: string | number | null }>();
    out.push({ month, onTime: Number(r?.onTime ?? 0), late: Number(r?.late ?? 0), overdue: Number(r?.overdue ?? 0) });
  }
  return out;
}

/**
 * 第十九条考核 — Art. 19 compliance: for the month asked (default this one), per unit the
 * obligations due in it met on time, met late (迟报) with the largest lateness, still open past
 * due (漏报 so far), and IncidentReports graded below their figures (瞒报/谎报) — gateway/compliance's
 * report —, as a chart by unit and a table; and the last six months as a chart by month.
 */
export const compliancePage: ConsolePage = {
  path: '/compliance',
  title: { zh: '第十九条考核', en: 'Art. 19 compliance' },
  roles: ANY_ROLE,
  async get(c) {
    const period = c.query('period') ?? monthOf(c.now);
    const report = await complianceReport(c.ds, { period, ...(c.scope !== null && { unit: c.scope }) }, c.now);
    const units = report.units;
    const byUnit = barChart({
      title: c.t({ zh: `${period} 各单位义务履行情况`, en: `Obligations due in ${period}, by unit` }),
      categories: units.map((u) => u.unit),
      series: [
        { label: c.t({ zh: '按时', en: 'on time' }), color: '#67c23a', values: units.map((u) => u.metOnTime) },
        { label: c.t({ zh: '迟报', en: 'late' }), color: '#e6a23c', values: units.map((u) => u.metLate) },
        { label: c.t({ zh: '逾期未报', en: 'open past due' }), color: '#c0392b', values: units.map((u) => u.openPastDue) },
      ],
    });
    const months = await trend(c, report.period);
    const byMonth = barChart({
      title: c.t({ zh: '近六个月', en: 'The last six months' }),
      categories: months.map((m) => m.month),
      series: [
        { label: c.t({ zh: '按时', en: 'on time' }), color: '#67c23a', values: months.map((m) => m.onTime) },
        { label: c.t({ zh: '迟报', en: 'late' }), color: '#e6a23c', values: months.map((m) => m.late) },
        { label: c.t({ zh: '逾期未报', en: 'open past due' }), color: '#c0392b', values: months.map((m) => m.overdue) },
      ],
    });
    return {
      body: html`<form method="get" action="/console/compliance"><label for="period">${c.t({ zh: '月份', en: 'Month' })}</label><input type="text" id="period" name="period" value="${period}" placeholder="YYYY-MM"> <button type="submit">${c.t({ zh: '查询', en: 'Show' })}</button></form>
<h2>${c.t({ zh: '按单位', en: 'By unit' })} — ${period}</h2><figure id="chart-units">${raw(byUnit)}</figure>
<table id="compliance"><thead><tr><th>${c.t({ zh: '单位', en: 'Unit' })}</th><th>${c.t({ zh: '按时', en: 'On time' })}</th><th>${c.t({ zh: '迟报', en: 'Late' })}</th><th>${c.t({ zh: '最长迟报（分钟）', en: 'Max late (min)' })}</th><th>${c.t({ zh: '逾期未报', en: 'Open past due' })}</th><th>${c.t({ zh: '未到期', en: 'Not yet due' })}</th><th>${c.t({ zh: '豁免', en: 'Waived' })}</th><th>${c.t({ zh: '定级偏低', en: 'Under-graded' })}</th></tr></thead>
<tbody>${units.map((u) => html`<tr><td>${u.unit}</td><td class="num">${u.metOnTime}</td><td class="num${u.metLate > 0 ? ' late' : ''}">${u.metLate}</td><td class="num">${u.maxLateMinutes}</td><td class="num${u.openPastDue > 0 ? ' late' : ''}">${u.openPastDue}</td><td class="num">${u.openNotYetDue}</td><td class="num">${u.waived}</td><td class="num">${u.underGraded}</td></tr>`)}</tbody></table>
<h2>${c.t({ zh: '按月', en: 'By month' })}</h2><figure id="chart-months">${raw(byMonth)}</figure>`,
    };
  },
};
