import { GatewayError } from '../../../../contracts/errors/gateway-error';
import { CaseEntity, CaseMessageEntity, ObligationEntity } from '../../../../gateway/obligations';
import { beijing, html } from '../html';
import type { ConsolePage } from '../page';
import { pageOf, pager } from '../paging';
import { ANY_ROLE } from '../roles';
import { stateLabel } from './unit';

/**
 * 事件 — the cases (a report and the messages tied to it by its task number), latest change
 * first, paged on the updated_at index; one case with its messages and obligations. An
 * institution administrator sees the cases its institution is a party to.
 */
export const casesPage: ConsolePage = {
  path: '/cases',
  title: { zh: '事件', en: 'Cases' },
  roles: ANY_ROLE,
  async get(c) {
    const { page, offset, limit } = pageOf(c);
    const qb = c.ds.manager.createQueryBuilder(CaseEntity, 'k');
    // parties is a JSON list; the quotes make the match exact ("op-cmcc" does not match "op-cmcc2").
    if (c.scope !== null) qb.where('k.parties LIKE :party', { party: `%"${c.scope}"%` });
    const task = c.query('task');
    if (task !== undefined) qb.andWhere('(k.taskNumber = :task OR k.key = :task)', { task });
    const [cases, total] = await qb.orderBy('k.updatedAt', 'DESC').skip(offset).take(limit).getManyAndCount();
    return {
      body: html`<form method="get" action="/console/cases"><label for="task">${c.t({ zh: '任务编号', en: 'Task number' })}</label><input type="text" id="task" name="task" value="${task ?? ''}"> <button type="submit">${c.t({ zh: '查询', en: 'Find' })}</button></form>
<table id="cases"><thead><tr><th>${c.t({ zh: '事件', en: 'Case' })}</th><th>${c.t({ zh: '任务编号', en: 'Task number' })}</th><th>${c.t({ zh: '类别', en: 'Kind' })}</th><th>${c.t({ zh: '级别', en: 'Level' })}</th><th>${c.t({ zh: '省份', en: 'Provinces' })}</th><th>${c.t({ zh: '相关单位', en: 'Parties' })}</th><th>${c.t({ zh: '最近更新', en: 'Updated' })}</th></tr></thead>
<tbody>${cases.map((k) => html`<tr><td><a href="${c.href('/cases/view', { key: k.key })}">${k.key}</a></td><td>${k.taskNumber ?? ''}</td><td>${k.kind}</td><td>${k.level ?? ''}${k.legalHold ? ' ⚖' : ''}</td><td>${k.provinces.join(', ')}</td><td>${k.parties.join(', ')}</td><td>${beijing(k.updatedAt)}</td></tr>`)}</tbody></table>
${pager(c, '/cases', page, total, { task })}`,
    };
  },
};

export const caseViewPage: ConsolePage = {
  path: '/cases/view',
  title: { zh: '事件详情', en: 'Case' },
  roles: ANY_ROLE,
  nav: false,
  async get(c) {
    const key = c.query('key') ?? '';
    const k = await c.ds.manager.findOne(CaseEntity, { where: { key } });
    if (k === null) throw new GatewayError('console.bad-input', `there is no case "${key}"`, { field: 'key' });
    if (c.scope !== null && !k.parties.includes(c.scope)) throw new GatewayError('console.forbidden', `case ${key} does not concern ${c.scope}`, { case: key, own: c.scope });
    const messages = await c.ds.manager.find(CaseMessageEntity, { where: { caseKey: key }, order: { acceptedAt: 'ASC' } });
    const obligations = await c.ds.manager.find(ObligationEntity, { where: { caseKey: key }, order: { id: 'ASC' } });
    return {
      title: { zh: `事件 ${k.taskNumber ?? key}`, en: `Case ${k.taskNumber ?? key}` },
      body: html`<p>${k.kind} · ${c.t({ zh: '级别', en: 'level' })} ${k.level ?? '—'} · ${k.provinces.join(', ')} · ${k.parties.join(', ')}</p>
${k.levelHistory.length > 0 ? html`<p>${c.t({ zh: '级别调整：', en: 'Re-graded: ' })}${k.levelHistory.map((l) => `${l.from ?? '—'} → ${l.to} (${l.at}, ${l.messageId})`).join('; ')}</p>` : ''}
<h2>${c.t({ zh: '报文', en: 'Messages' })}</h2>
<table id="case-messages"><tr><th>${c.t({ zh: '接收时间', en: 'Accepted' })}</th><th>${c.t({ zh: '类型', en: 'Form' })}</th><th>${c.t({ zh: '发送方', en: 'From' })}</th><th>${c.t({ zh: '级别', en: 'Level' })}</th></tr>
${messages.map((m) => html`<tr><td>${beijing(m.acceptedAt)}</td><td><a href="${c.href('/trace', { message: m.messageId })}">${m.type}</a></td><td>${m.fromCode}</td><td>${m.level ?? ''}</td></tr>`)}</table>
<h2>${c.t({ zh: '义务', en: 'Obligations' })}</h2>
<table id="case-obligations"><tr><th>${c.t({ zh: '义务', en: 'Obligation' })}</th><th>${c.t({ zh: '单位', en: 'Party' })}</th><th>${c.t({ zh: '时限', en: 'Due' })}</th><th>${c.t({ zh: '状态', en: 'State' })}</th><th>${c.t({ zh: '履行', en: 'Closed' })}</th></tr>
${obligations.map((o) => html`<tr><td>${o.obligation}</td><td>${o.party}</td><td>${beijing(o.due)}</td><td class="${o.state === 'met-late' || (o.state === 'open' && o.due !== null && o.due < c.now) ? 'late' : ''}">${stateLabel(c, o.state)}${o.provisional ? c.t({ zh: '（电话先行，待书面）', en: ' (by phone, paper pending)' }) : ''}</td><td>${beijing(o.closedAt)} ${o.closedBy ?? ''}</td></tr>`)}</table>`,
    };
  },
};
