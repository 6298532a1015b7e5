import { In } from 'typeorm';
import { ContactPersonEntity, ContactSetEntity, overdueChanges } from '../../../../gateway/contacts';
import { InstitutionEntity } from '../../../../gateway/store';
import { beijing, html } from '../html';
import type { ConsolePage } from '../page';
import { pageOf, pager } from '../paging';
import { ANY_ROLE } from '../roles';

const DAY_MS = 86_400_000;

/**
 * 联系人名录 — the registry (Art. 17): institutions with their current leader in charge, the
 * effective and reported dates, the last confirmation; paged (50 a page) on the code index; a
 * filter by code or name; and the contact changes reported late. An institution administrator
 * sees its own institution only.
 */
export const registryPage: ConsolePage = {
  path: '/registry',
  title: { zh: '联系人名录', en: 'Registry' },
  roles: ANY_ROLE,
  async get(c) {
    const { page, offset, limit } = pageOf(c);
    const filter = c.query('q');
    const qb = c.ds.manager.createQueryBuilder(InstitutionEntity, 'i').select(['i.code', 'i.name', 'i.kind']);
    if (c.scope !== null) qb.andWhere('i.code = :scope', { scope: c.scope });
    if (filter !== undefined) qb.andWhere('(i.code LIKE :f OR i.name LIKE :f)', { f: `%${filter.replace(/[%_\\]/g, '')}%` });
    const [institutions, total] = await qb.orderBy('i.code', 'ASC').skip(offset).take(limit).getManyAndCount();
    const codes = institutions.map((i) => i.code);
    const sets = codes.length === 0 ? [] : await c.ds.manager.find(ContactSetEntity, { where: { institutionCode: In(codes) } });
    const leaders = codes.length === 0 ? [] : await c.ds.manager.find(ContactPersonEntity, { where: { institutionCode: In(codes), role: 'leader' } });
    const mayEdit = c.user.role === 'gateway-admin' || c.user.role === 'institution-admin';
    const rows = institutions.map((i) => {
      const set = sets.find((s) => s.institutionCode === i.code);
      const leader = leaders.find((l) => l.institutionCode === i.code);
      return html`<tr data-code="${i.code}"><td><a href="${c.href('/registry/unit', { code: i.code })}">${i.code}</a></td><td>${i.name}</td><td>${set?.unit ?? ''}</td>
<td>${leader ? `${leader.name}${leader.phone ? ` · ${leader.phone}` : ''}` : c.t({ zh: '未报送', en: 'not reported' })}</td><td>${set?.effectiveDate ?? '—'}</td><td>${beijing(set?.reportedAt)}</td><td>${beijing(set?.confirmedAt)}</td>
<td>${mayEdit && (c.scope === null || c.scope === i.code) ? html`<a href="${c.href('/contacts/edit', { institution: i.code })}">${c.t({ zh: '修改联系人', en: 'edit contacts' })}</a>` : ''}</td></tr>`;
    });
    const late = (await overdueChanges(c.ds, c.now)).filter((o) => c.scope === null || o.institutionCode === c.scope).reverse().slice(0, 50);
    const lateRows = late.map((o) => html`<tr><td>${o.institutionCode}</td><td>${o.effectiveDate}</td><td>${beijing(o.dueAt)}</td><td>${beijing(o.reportedAt)}</td><td class="late num">${(o.lateByMs / DAY_MS).toFixed(1)}</td><td>${o.changedBy}</td></tr>`);
    return {
      body: html`<form method="get" action="/console/registry"><label for="q">${c.t({ zh: '单位代码或名称', en: 'Code or name' })}</label><input type="text" id="q" name="q" value="${filter ?? ''}"> <button type="submit">${c.t({ zh: '筛选', en: 'Filter' })}</button></form>
<table id="institutions"><thead><tr><th>${c.t({ zh: '代码', en: 'Code' })}</th><th>${c.t({ zh: '单位', en: 'Institution' })}</th><th>${c.t({ zh: '报送单位名称', en: 'Unit as reported' })}</th><th>${c.t({ zh: '主管领导', en: 'Leader in charge' })}</th><th>${c.t({ zh: '生效日期', en: 'Effective' })}</th><th>${c.t({ zh: '报送时间', en: 'Reported' })}</th><th>${c.t({ zh: '最近确认', en: 'Last confirmed' })}</th><th></th></tr></thead><tbody>${rows}</tbody></table>
${pager(c, '/registry', page, total, { q: filter })}
<h2>${c.t({ zh: '逾期报送的联系人变更（第十七条：生效后 3 个工作日内）', en: 'Contact changes reported late (Art. 17: within 3 working days of taking effect)' })}</h2>
${lateRows.length === 0 ? html`<p>${c.t({ zh: '无。', en: 'None.' })}</p>` : html`<table id="late-changes"><thead><tr><th>${c.t({ zh: '单位', en: 'Unit' })}</th><th>${c.t({ zh: '生效日期', en: 'Effective' })}</th><th>${c.t({ zh: '应报时限', en: 'Due' })}</th><th>${c.t({ zh: '报送时间', en: 'Reported' })}</th><th>${c.t({ zh: '逾期（天）', en: 'Late (days)' })}</th><th>${c.t({ zh: '修改人', en: 'Changed by' })}</th></tr></thead><tbody>${lateRows}</tbody></table>`}`,
    };
  },
};
