import { GatewayError } from '../../../../contracts/errors/gateway-error';
import { contactsOf, historyOf, type ContactPerson } from '../../../../gateway/contacts';
import { ObligationEntity } from '../../../../gateway/obligations';
import { InstitutionEntity } from '../../../../gateway/store';
import { beijing, html } from '../html';
import type { ConsolePage, PageContext } from '../page';
import { ANY_ROLE } from '../roles';

const STATE = {
  open: { zh: '未履行', en: 'open' },
  met: { zh: '按时履行', en: 'met' },
  'met-late': { zh: '逾期履行', en: 'met late' },
  waived: { zh: '已豁免', en: 'waived' },
} as const;

export const stateLabel = (c: PageContext, state: string): string => c.t(STATE[state as keyof typeof STATE] ?? { zh: state, en: state });

function person(p: ContactPerson) {
  return html`<td>${p.name}</td><td>${p.phone ?? ''}</td><td>${p.mobile ?? ''}</td><td>${p.email ?? ''}</td>`;
}

/**
 * One institution: its current contacts, the history of every change (field by field, who, the
 * effective date, when reported, on time or late) and its `contact-change` obligations.
 */
export const unitPage: ConsolePage = {
  path: '/registry/unit',
  title: { zh: '单位联系人', en: 'Institution contacts' },
  roles: ANY_ROLE,
  nav: false,
  async get(c) {
    const code = c.query('code') ?? '';
    c.requireInstitution(code);
    const institution = await c.ds.manager.findOne(InstitutionEntity, { where: { code } });
    if (institution === null) throw new GatewayError('contacts.unknown-institution', `institution "${code}" is not in the registry`, { institution: code });
    const sheet = await contactsOf(c.ds, code);
    const history = await historyOf(c.ds, code);
    const obligations = await c.ds.manager.find(ObligationEntity, { where: { obligation: 'contact-change', party: code }, order: { id: 'DESC' }, take: 20 });
    const saved = c.query('saved');
    const head = html`<tr><th>${c.t({ zh: '角色', en: 'Role' })}</th><th>${c.t({ zh: '姓名', en: 'Name' })}</th><th>${c.t({ zh: '电话', en: 'Phone' })}</th><th>${c.t({ zh: '手机', en: 'Mobile' })}</th><th>E-mail</th></tr>`;
    return {
      title: { zh: `${code} 联系人`, en: `${code} contacts` },
      body: html`${saved ? html`<p class="ok" role="status" id="saved">${c.t({ zh: `已保存。联系人变更报送 ${saved} 已由网关代为报送工信部（miit），抄送 CNCERT。`, en: `Saved. The ContactUpdate ${saved} was recorded by the gateway on the institution's behalf, to miit with cncert in copy.` })} <a href="${c.href('/trace', { message: saved })}">${c.t({ zh: '查看投递', en: 'trace its deliveries' })}</a></p>` : ''}
<p>${institution.name} (${institution.kind})${c.user.role === 'gateway-admin' || c.user.role === 'institution-admin' ? html` · <a href="${c.href('/contacts/edit', { institution: code })}">${c.t({ zh: '修改联系人', en: 'edit contacts' })}</a>` : ''}</p>
${sheet === null ? html`<p>${c.t({ zh: '尚未报送联系人。', en: 'No contacts reported yet.' })}</p>` : html`<p>${sheet.unit}${sheet.department ? ` — ${sheet.department}` : ''} · ${c.t({ zh: '生效', en: 'effective' })} ${sheet.effectiveDate} · ${c.t({ zh: '报送', en: 'reported' })} ${beijing(sheet.reportedAt)}</p>
<table id="contacts">${head}<tr><th>${c.t({ zh: '主管领导', en: 'Leader in charge' })}</th>${person(sheet.leaderInCharge)}</tr><tr><th>${c.t({ zh: '责任部门负责人', en: 'Department head' })}</th>${person(sheet.departmentHead)}</tr>
${sheet.contacts.map((p, i) => html`<tr><th>${c.t({ zh: `联系人 ${i + 1}`, en: `Contact ${i + 1}` })}</th>${person(p)}</tr>`)}</table>`}
<h2>${c.t({ zh: '报送义务（contact-change，3 个工作日）', en: 'Obligations (contact-change, 3 working days)' })}</h2>
<table id="obligations"><tr><th>${c.t({ zh: '状态', en: 'State' })}</th><th>${c.t({ zh: '起算', en: 'Start' })}</th><th>${c.t({ zh: '时限', en: 'Due' })}</th><th>${c.t({ zh: '履行时间', en: 'Closed' })}</th><th>${c.t({ zh: '履行报文', en: 'Closed by' })}</th></tr>
${obligations.map((o) => html`<tr data-state="${o.state}"><td class="${o.state === 'met-late' ? 'late' : ''}">${stateLabel(c, o.state)}</td><td>${beijing(o.start)}</td><td>${beijing(o.due)}</td><td>${beijing(o.closedAt)}</td><td>${o.closedBy ?? ''}</td></tr>`)}</table>
<h2>${c.t({ zh: '变更历史', en: 'History' })}</h2>
<table id="history"><tr><th>#</th><th>${c.t({ zh: '生效日期', en: 'Effective' })}</th><th>${c.t({ zh: '报送时间', en: 'Reported' })}</th><th>${c.t({ zh: '时限', en: 'Due' })}</th><th>${c.t({ zh: '修改人', en: 'Changed by' })}</th><th>${c.t({ zh: '报文', en: 'Message' })}</th><th>${c.t({ zh: '变更内容', en: 'What changed' })}</th></tr>
${[...history].reverse().map((h) => html`<tr><td>${h.id}</td><td>${h.effectiveDate}</td><td class="${h.reportedAt > h.dueAt ? 'late' : ''}">${beijing(h.reportedAt)}</td><td>${beijing(h.dueAt)}</td><td>${h.changedBy}</td><td>${h.messageId ?? ''}</td>
<td>${h.diff.map((d) => html`<div>${d.field}: ${d.before ?? '∅'} → ${d.after ?? '∅'}</div>`)}</td></tr>`)}</table>`,
    };
  },
};
