import type { EntityManager } from 'typeorm';
import { ObligationEntity } from '../../../../gateway/obligations';
import { beijing, html, raw } from '../html';
import type { ConsolePage } from '../page';
import { pageOf, pager } from '../paging';
import { barChart } from '../svg-chart';
import { ANY_ROLE } from '../roles';
import { stateLabel } from './unit';

/** Units shown in the chart (the most overdue first). */
const CHART_UNITS = 30;

/**
 * The open obligations with a due instant before `horizon` (overdue ones included), of `unit`
 * when given: the query both the chart (grouped by party) and the list (ordered by due) start
 * from. It reads the index (state, due_at, party) of migration 1764381900000.
 */
export function openDueQuery(manager: EntityManager, horizon: Date, unit?: string) {
  const qb = manager.createQueryBuilder(ObligationEntity, 'o').where('o.state = :open AND o.due IS NOT NULL AND o.due < :horizon', { open: 'open', horizon });
  if (unit !== undefined) qb.andWhere('o.party = :unit', { unit });
  return qb;
}

/**
 * 义务与时限 — the open obligations overdue or falling due within the window (default 48 h), by
 * unit as a stacked SVG bar chart (overdue, due soon), and the list, most urgent first, paged.
 * Both queries read the index (state, due_at, party) of migration 1764381900000 only.
 */
export const obligationsPage: ConsolePage = {
  path: '/obligations',
  title: { zh: '义务与时限', en: 'Obligations' },
  roles: ANY_ROLE,
  async get(c) {
    const hoursAsked = Number(c.query('hours') ?? c.options.dueSoonHours);
    const hours = Number.isFinite(hoursAsked) && hoursAsked > 0 && hoursAsked <= 24 * 90 ? hoursAsked : c.options.dueSoonHours;
    const horizon = new Date(c.now.getTime() + hours * 3600_000);
    const unit = c.scope ?? c.query('unit');
    const base = () => openDueQuery(c.ds.manager, horizon, unit);
    const byUnit = await base().select('o.party', 'party')
      .addSelect('SUM(CASE WHEN o.due < :now THEN 1 ELSE 0 END)', 'overdue')
      .addSelect('SUM(CASE WHEN o.due >= :now THEN 1 ELSE 0 END)', 'soon')
      .setParameter('now', c.now)
      .groupBy('o.party')
      .getRawMany<{ party: string; overdue: string | number; soon: string | number }>();
    const units = byUnit.map((u) => ({ party: u.party, overdue: Number(u.overdue), soon: Number(u.soon) }))
      .sort((a, b) => b.overdue - a.overdue || b.soon - a.soon || a.party.localeCompare(b.party));
    const shown = units.slice(0, CHART_UNITS);
    const chart = barChart({
      title: c.t({ zh: '各单位逾期与即将到期的义务', en: 'Overdue and due-soon obligations by unit' }),
      categories: shown.map((u) => u.party),
      series: [
        { label: c.t({ zh: '已逾期', en: 'overdue' }), color: '#c0392b', values: shown.map((u) => u.overdue) },
        { label: c.t({ zh: `${hours} 小时内到期`, en: `due within ${hours} h` }), color: '#e6a23c', values: shown.map((u) => u.soon) },
      ],
    });
    const { page, offset, limit } = pageOf(c);
    const [rows, total] = await base().orderBy('o.due', 'ASC').addOrderBy('o.id', 'ASC').skip(offset).take(limit).getManyAndCount();
    const list = rows.map((o) => {
      const late = o.due!.getTime() < c.now.getTime();
      return html`<tr data-id="${o.id}"><td>${o.party}</td><td>${o.obligation}</td><td>${o.counterparty ?? ''}</td><td>${o.level ?? ''}</td><td>${o.caseKey ? html`<a href="${c.href('/cases/view', { key: o.caseKey })}">${o.caseKey}</a>` : o.subject ?? ''}</td><td>${beijing(o.start)}</td>
<td class="${late ? 'late' : 'soon'}">${beijing(o.due)}${o.dueProvisional ? ' *' : ''}</td><td>${late ? c.t({ zh: '已逾期', en: 'overdue' }) : stateLabel(c, o.state)}</td></tr>`;
    });
    const totals = units.reduce((t, u) => ({ overdue: t.overdue + u.overdue, soon: t.soon + u.soon }), { overdue: 0, soon: 0 });
    return {
      body: html`<form method="get" action="/console/obligations">${c.scope === null ? html`<label for="unit">${c.t({ zh: '单位', en: 'Unit' })}</label><input type="text" id="unit" name="unit" value="${unit ?? ''}"> ` : ''}<label for="hours">${c.t({ zh: '即将到期（小时）', en: 'Due within (hours)' })}</label><input type="text" id="hours" name="hours" value="${hours}"> <button type="submit">${c.t({ zh: '查询', en: 'Show' })}</button></form>
<p id="totals">${c.t({ zh: `已逾期 ${totals.overdue} 项，${hours} 小时内到期 ${totals.soon} 项，涉及 ${units.length} 个单位。`, en: `${totals.overdue} overdue, ${totals.soon} due within ${hours} h, at ${units.length} units.` })}</p>
<figure>${raw(chart)}${units.length > CHART_UNITS ? html`<figcaption>${c.t({ zh: `仅显示逾期最多的 ${CHART_UNITS} 个单位`, en: `the ${CHART_UNITS} units with the most overdue shown` })}</figcaption>` : ''}</figure>
<table id="obligations"><thead><tr><th>${c.t({ zh: '单位', en: 'Unit' })}</th><th>${c.t({ zh: '义务', en: 'Obligation' })}</th><th>${c.t({ zh: '对方', en: 'To' })}</th><th>${c.t({ zh: '级别', en: 'Level' })}</th><th>${c.t({ zh: '事件/事项', en: 'Case / subject' })}</th><th>${c.t({ zh: '起算', en: 'Start' })}</th><th>${c.t({ zh: '时限', en: 'Due' })}</th><th>${c.t({ zh: '状态', en: 'State' })}</th></tr></thead><tbody>${list}</tbody></table>
${pager(c, '/obligations', page, total, { unit: c.scope === null ? unit : undefined, hours: String(hours) })}`,
    };
  },
};
