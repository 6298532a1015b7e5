import { randomBytes } from 'node:crypto';
import { GatewayError } from '../../../../contracts/errors/gateway-error';
import { writtenForms } from '../../../../contracts/forms/emergency-notice';
import { emergencyNotices, logPhoneCall, type EmergencyDeps, type FieldError } from '../../../../gateway/emergency';
import { InstitutionEntity } from '../../../../gateway/store';
import { beijing, html, type Raw } from '../html';
import type { ConsolePage, PageContext } from '../page';
import { pageOf, pager } from '../paging';
import { ANY_ROLE, WRITING_ROLES } from '../roles';
import { noticeOf } from './paper-original';
import { beijingInput, field, fieldErrors, noticeBody, STANDING } from './phone-log-view';

const LEVELS = ['I', 'II', 'III', 'IV'] as const;

async function logForm(c: PageContext, v: Readonly<Record<string, string>>, errors: ReadonlyMap<string, string[]>): Promise<Raw> {
  const institutions = await c.ds.manager.find(InstitutionEntity, { select: { code: true, name: true }, ...(c.scope !== null && { where: { code: c.scope } }), order: { code: 'ASC' } });
  const select = (name: string, options: readonly { value: string; label: string }[], chosen: string) =>
    html`<select id="${name}" name="${name}"${errors.has(name) ? html` aria-invalid="true"` : ''}>${options.map((o) => html`<option value="${o.value}"${o.value === chosen ? html` selected` : ''}>${o.label}</option>`)}</select>`;
  const text = (name: string, label: { zh: string; en: string }, type = 'text') => field(c, name, label, v[name] ?? '', errors, html`<input type="${type}" id="${name}" name="${name}" value="${v[name] ?? ''}"${errors.has(name) ? html` aria-invalid="true"` : ''}>`);
  return html`<form method="post" action="/console/art15" id="phone-form">${c.csrfField}<input type="hidden" name="entryId" value="${v.entryId ?? `log-${randomBytes(8).toString('hex')}`}">
<fieldset><legend>${c.t({ zh: '来电人', en: 'Caller' })}</legend>${text('callerName', { zh: '姓名', en: 'Name' })}${text('callerPhone', { zh: '联系电话', en: 'Phone' }, 'tel')}${text('callerMobile', { zh: '手机', en: 'Mobile' }, 'tel')}</fieldset>
${field(c, 'institution', { zh: '来电单位', en: 'Institution' }, '', errors, select('institution', [{ value: '', label: '—' }, ...institutions.map((i) => ({ value: i.code, label: `${i.code} ${i.name}` }))], v.institution ?? c.scope ?? ''))}
${field(c, 'calledAt', { zh: '来电时间（北京时间）', en: 'Time of the call (Beijing time)' }, '', errors, html`<input type="datetime-local" id="calledAt" name="calledAt" value="${v.calledAt ?? beijingInput(c.now)}"${errors.has('calledAt') ? html` aria-invalid="true"` : ''}>`)}
${field(c, 'summary', { zh: '内容摘要', en: 'Summary' }, '', errors, html`<textarea id="summary" name="summary" rows="4" cols="60"${errors.has('summary') ? html` aria-invalid="true"` : ''}>${v.summary ?? ''}</textarea>`)}
${text('taskNumber', { zh: '任务编号（可选）', en: 'Case / task number (optional)' })}
${field(c, 'level', { zh: '事件级别（可选）', en: 'Level (optional)' }, '', errors, select('level', [{ value: '', label: '—' }, ...LEVELS.map((l) => ({ value: l, label: l }))], v.level ?? ''))}
${field(c, 'standsFor', { zh: '对应书面表格（可选，默认由网关判定）', en: 'Written form it stands for (optional; else decided by the gateway)' }, '', errors, select('standsFor', [{ value: '', label: '—' }, ...writtenForms.map((f) => ({ value: f, label: f }))], v.standsFor ?? ''))}
<p><button type="submit" id="log-call">${c.t({ zh: '登记来电', en: 'Log the call' })}</button></p></form>`;
}

async function list(c: PageContext): Promise<Raw> {
  const { page, offset, limit } = pageOf(c);
  const { total, notices } = await emergencyNotices(c.ds, { ...(c.scope !== null && { institution: c.scope }), offset, limit }, c.now);
  return html`<h2>${c.t({ zh: '电话、电子邮件先行的通报及其书面跟进', en: 'Notices given by phone or e-mail first, and their written follow-up' })}</h2>
<table id="notices"><thead><tr><th>${c.t({ zh: '联系时间', en: 'Time' })}</th><th>${c.t({ zh: '方式', en: 'Channel' })}</th><th>${c.t({ zh: '单位', en: 'Institution' })}</th><th>${c.t({ zh: '来电人', en: 'Caller' })}</th><th>${c.t({ zh: '对应表格', en: 'Stands for' })}</th><th>${c.t({ zh: '应补交时限', en: 'Follow-up due' })}</th><th>${c.t({ zh: '书面跟进', en: 'Follow-up' })}</th></tr></thead>
<tbody>${notices.map((n) => html`<tr data-message="${n.messageId}" data-standing="${n.standing ?? ''}"><td><a href="${c.href('/art15/notice', { id: n.messageId })}">${beijing(n.at)}</a></td><td>${n.channel}</td><td>${n.institution}</td><td>${n.caller.name}</td><td>${n.standsFor}${n.taskNumber ? ` · ${n.taskNumber}` : ''}</td><td>${beijing(n.followup?.due)}</td><td class="${n.standing === 'overdue' || n.standing === 'met-late' ? 'late' : ''}">${n.standing ? c.t(STANDING[n.standing]) : ''}${n.paper ? c.t({ zh: '（书面原件）', en: ' (paper)' }) : ''}</td></tr>`)}</tbody></table>
${pager(c, '/art15', page, total)}`;
}

/**
 * 电话先行登记 — Art. 15 "紧急情况下，可以先通过电话…联系，后补书面材料": a clerk (or the gateway
 * administrator; an institution administrator for its own institution) logs a phone call —
 * caller, institution, time (Beijing), summary, task number, level, the form it stands for — and
 * the gateway records it as a phone EmergencyNotice (logPhoneCall): the clock it answers is met
 * provisionally and `written-followup` opens. Every bad field is named (422) and nothing is
 * recorded. Below the form, the notices given by phone or e-mail first with the standing of their
 * written follow-up (open / overdue / met / met late), newest first; the auditor reads only.
 */
export function phoneLogPage(deps: EmergencyDeps): ConsolePage {
  return {
    path: '/art15',
    title: { zh: '电话先行登记', en: 'Phone log (Art. 15)' },
    roles: ANY_ROLE,
    postRoles: WRITING_ROLES,
    async get(c) {
      const form = WRITING_ROLES.includes(c.user.role) ? await logForm(c, {}, new Map()) : '';
      return { body: html`${form}${await list(c)}` };
    },
    async post(c) {
      const institution = (c.form.institution ?? '').trim();
      if (institution !== '') c.requireInstitution(institution);
      try {
        const logged = await logPhoneCall(deps, {
          institution: institution === '' && c.scope !== null ? c.scope : institution, callerName: c.form.callerName ?? '', callerPhone: c.form.callerPhone ?? '', callerMobile: c.form.callerMobile ?? '',
          calledAt: c.form.calledAt ?? '', summary: c.form.summary ?? '', taskNumber: c.form.taskNumber ?? '', level: c.form.level ?? '', standsFor: c.form.standsFor ?? '',
          recordedBy: c.user.username, entryId: c.form.entryId ?? '',
        });
        await c.audit('phone-log', logged.messageId, { institution, entryId: c.form.entryId ?? null, duplicate: logged.duplicate, standsFor: logged.standsFor });
        const asked = (c.form.taskNumber ?? '').trim();
        // The same form posted again (its entry id: a double click, or the browser's back button and
        // an edited resubmission) is the call already logged: say so rather than "logged".
        if (logged.duplicate) return { redirect: c.href('/art15/notice', { id: logged.messageId, again: 1 }) };
        return { redirect: c.href('/art15/notice', { id: logged.messageId, logged: 1, ...(asked !== '' && logged.taskNumber !== asked && { unmatched: asked }) }) };
      } catch (e) {
        if (!(e instanceof GatewayError) || e.code !== 'emergency.bad-phone-log') throw e;
        const { summary, byField } = fieldErrors(c, { zh: '来电未登记，未做任何更改：', en: 'The call was not logged, nothing was changed:' }, e.facts.errors as FieldError[]);
        return { status: 422, body: html`${summary}${await logForm(c, c.form, byField)}${await list(c)}` };
      }
    },
  };
}

/** 先行通报 — one EmergencyNotice (noticeBody): what it met provisionally, its written follow-up, its paper original. */
export const phoneLogNoticePage: ConsolePage = {
  path: '/art15/notice',
  title: { zh: '先行通报', en: 'Notice given first by phone or e-mail' },
  roles: ANY_ROLE,
  nav: false,
  async get(c) {
    const notice = await noticeOf(c, c.query('id') ?? '', 'id');
    const unmatched = c.query('unmatched');
    const banner = c.query('logged') !== undefined
      ? html`<p class="ok" id="logged">${c.t({ zh: `来电已登记为 ${notice.messageId}。`, en: `The call is logged as ${notice.messageId}.` })}</p>`
      : c.query('again') !== undefined
      ? html`<p class="error" id="again">${c.t({ zh: `该登记表已提交过，登记为 ${notice.messageId}，以第一次提交为准，本次未做任何更改。如需登记另一次来电，请打开新的登记表。`, en: `This form was submitted before and is logged as ${notice.messageId}; the first submission stands and nothing was changed now. To log another call, open a new form.` })}</p>`
      : c.query('registered') !== undefined ? html`<p class="ok" id="registered">${c.t({ zh: '书面原件已登记，书面跟进已关闭。', en: 'The paper original is registered; the written follow-up is closed.' })}</p>` : '';
    const warning = unmatched !== undefined
      ? html`<p class="error" id="unmatched">${c.t({ zh: `任务编号 ${unmatched} 不是该单位已知事件的编号，未写入通报。`, en: `Task number ${unmatched} is no case of this institution that the gateway knows: it was left out of the notice.` })}</p>`
      : '';
    return { title: { zh: `先行通报 — ${notice.institution}`, en: `Notice given first — ${notice.institution}` }, body: html`${banner}${warning}${noticeBody(c, notice)}` };
  },
};

