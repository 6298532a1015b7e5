import { beijingWallClock } from '../../../../gateway/calendar';
import type { EmergencyNoticeView, FieldError, FollowupStanding } from '../../../../gateway/emergency';
import { beijing, html, type Raw } from '../html';
import type { Text } from '../i18n';
import type { PageContext } from '../page';
import { WRITING_ROLES } from '../roles';
import { stateLabel } from './unit';

/** The labels of a written follow-up's standing. */
export const STANDING: Readonly<Record<FollowupStanding, Text>> = {
  open: { zh: '待补书面材料', en: 'open' },
  overdue: { zh: '已逾期未补', en: 'overdue' },
  met: { zh: '已按时补交', en: 'met' },
  'met-late': { zh: '逾期补交', en: 'met late' },
  waived: { zh: '已豁免', en: 'waived' },
};

const CHANNEL: Readonly<Record<'phone' | 'email', Text>> = { phone: { zh: '电话', en: 'phone' }, email: { zh: '电子邮件', en: 'e-mail' } };

/** The errors of a refused form, listed above it (each with its field, code and article) and by field. */
export function fieldErrors(c: PageContext, title: Text, errors: readonly FieldError[]): { summary: Raw; byField: ReadonlyMap<string, string[]> } {
  const byField = new Map<string, string[]>();
  for (const e of errors) byField.set(e.field, [...(byField.get(e.field) ?? []), `${e.message} [${e.code}] (${e.source})`]);
  const summary = html`<div class="error" role="alert" id="errors"><p>${c.t(title)}</p><ul>${errors.map((e) => html`<li data-field="${e.field}">${e.field}: ${e.message} [${e.code}] (${e.source})</li>`)}</ul></div>`;
  return { summary, byField };
}

/** An input with its label and its errors. */
export function field(c: PageContext, name: string, label: Text, value: string, errors: ReadonlyMap<string, string[]>, control?: Raw): Raw {
  const invalid = errors.has(name) ? html` aria-invalid="true"` : '';
  return html`<p><label for="${name}">${c.t(label)}</label>${control ?? html`<input type="text" id="${name}" name="${name}" value="${value}"${invalid}>`}
${(errors.get(name) ?? []).map((m) => html`<span class="field-error">${m}</span>`)}</p>`;
}

/** A datetime-local value of an instant in Beijing time (`YYYY-MM-DDTHH:MM`). */
export const beijingInput = (d: Date): string => beijingWallClock(d).slice(0, 16);

function paperForm(c: PageContext, n: EmergencyNoticeView, values: Readonly<Record<string, string>>, errors: ReadonlyMap<string, string[]>): Raw {
  return html`<form method="post" action="/console/art15/paper-original" enctype="multipart/form-data" id="paper-form">${c.csrfField}<input type="hidden" name="notice" value="${n.messageId}">
${field(c, 'documentNumber', { zh: '文号', en: 'Document number (文号)' }, values.documentNumber ?? '', errors)}
${field(c, 'receivedAt', { zh: '收到时间（北京时间）', en: 'Received at (Beijing time)' }, '', errors, html`<input type="datetime-local" id="receivedAt" name="receivedAt" value="${values.receivedAt ?? beijingInput(c.now)}"${errors.has('receivedAt') ? html` aria-invalid="true"` : ''}>`)}
${field(c, 'scan', { zh: '扫描件（PDF、JPEG 或 PNG）', en: 'Scan (PDF, JPEG or PNG)' }, '', errors, html`<input type="file" id="scan" name="scan" accept="application/pdf,image/jpeg,image/png">`)}
<p><button type="submit" id="register-paper">${c.t({ zh: '登记书面原件', en: 'Register the paper original' })}</button></p></form>`;
}

/**
 * One EmergencyNotice: what was said and by whom, the clocks it met provisionally, its written
 * follow-up (due, standing), a link to its message trace, and its paper original — registered
 * (document number, received time, scan with its SHA-256 and a download link) or, while the
 * follow-up is open, the form to register it.
 */
export function noticeBody(c: PageContext, n: EmergencyNoticeView, paper: { readonly values?: Readonly<Record<string, string>>; readonly errors?: readonly FieldError[] } = {}): Raw {
  const f = n.followup;
  const errors = paper.errors ? fieldErrors(c, { zh: '书面原件未登记，未做任何更改：', en: 'The paper original was not registered, nothing was changed:' }, paper.errors) : undefined;
  const canPost = WRITING_ROLES.includes(c.user.role);
  const paperPart = n.paper
    ? html`<table id="paper"><tr><th>${c.t({ zh: '文号', en: 'Document number' })}</th><td>${n.paper.documentNumber}</td></tr>
<tr><th>${c.t({ zh: '收到时间', en: 'Received' })}</th><td>${beijing(n.paper.receivedAt)}</td></tr>
<tr><th>${c.t({ zh: '扫描件', en: 'Scan' })}</th><td><a id="scan-download" href="${c.href('/art15/paper-original/scan', { notice: n.messageId })}">${n.paper.fileName}</a> (${n.paper.mediaType}, ${n.paper.size} B)</td></tr>
<tr><th>SHA-256</th><td><code>${n.paper.sha256}</code></td></tr>
<tr><th>${c.t({ zh: '登记人', en: 'Registered by' })}</th><td>${n.paper.registeredBy} · ${beijing(n.paper.registeredAt)}</td></tr></table>`
    : f?.state === 'open'
      ? canPost ? html`${errors?.summary ?? ''}${paperForm(c, n, paper.values ?? {}, errors?.byField ?? new Map())}` : html`<p>${c.t({ zh: '尚未登记书面原件。', en: 'No paper original registered yet.' })}</p>`
      : html`<p>${c.t({ zh: '书面跟进已关闭（签名的书面表格已到或已豁免），无需登记书面原件。', en: 'The written follow-up is closed (the signed form arrived, or it was waived): no paper original is needed.' })}</p>`;
  return html`<table id="notice" data-message="${n.messageId}">
<tr><th>${c.t({ zh: '报文编号', en: 'Message id' })}</th><td><code id="message-id">${n.messageId}</code> — <a id="trace-link" href="${c.href('/trace', { message: n.messageId })}">${c.t({ zh: '报文追踪', en: 'message trace' })}</a></td></tr>
<tr><th>${c.t({ zh: '联系方式', en: 'Channel' })}</th><td>${c.t(CHANNEL[n.channel])}</td></tr>
<tr><th>${c.t({ zh: '联系单位', en: 'Institution' })}</th><td>${n.institution}</td></tr>
<tr><th>${c.t({ zh: '联系人', en: 'Caller' })}</th><td>${n.caller.name}${n.caller.phone ? ` · ${n.caller.phone}` : ''}${n.caller.mobile ? ` · ${n.caller.mobile}` : ''}${n.caller.email ? ` · ${n.caller.email}` : ''}</td></tr>
<tr><th>${c.t({ zh: '联系时间', en: 'Time' })}</th><td>${beijing(n.at)}</td></tr>
<tr><th>${c.t({ zh: '对应书面表格', en: 'Stands for' })}</th><td id="stands-for">${n.standsFor}${n.taskNumber ? ` · ${n.taskNumber}` : ''}${n.level ? ` · ${c.t({ zh: '级别', en: 'level' })} ${n.level}` : ''}</td></tr>
<tr><th>${c.t({ zh: '内容摘要', en: 'Summary' })}</th><td>${n.summary}</td></tr>
<tr><th>${c.t({ zh: '记录人', en: 'Recorded by' })}</th><td>${n.recordedBy}</td></tr></table>
<h2>${c.t({ zh: '暂时满足的时限', en: 'Clocks met provisionally' })}</h2>
${n.met.length === 0
    ? html`<p id="met-none">${c.t({ zh: '无：这是新事件的首报，尚无需满足的时限（书面报告到达时起算）。', en: 'None: a first report, no clock was open yet (the written report starts them).' })}</p>`
    : html`<table id="met"><tr><th>${c.t({ zh: '义务', en: 'Obligation' })}</th><th>${c.t({ zh: '时限', en: 'Due' })}</th><th>${c.t({ zh: '满足时间', en: 'Met at' })}</th><th>${c.t({ zh: '状态', en: 'State' })}</th></tr>
${n.met.map((o) => html`<tr data-obligation="${o.obligation}" data-provisional="${String(o.provisional)}"><td>${o.obligation}</td><td>${beijing(o.due)}</td><td>${beijing(o.closedAt)}</td><td>${stateLabel(c, o.state)}${o.provisional ? c.t({ zh: '（暂时，待书面材料）', en: ' (provisional, paper pending)' }) : ''}</td></tr>`)}</table>`}
<h2>${c.t({ zh: '书面跟进（written-followup）', en: 'Written follow-up (written-followup)' })}</h2>
${f && n.standing
    ? html`<table id="followup" data-state="${f.state}" data-standing="${n.standing}"><tr><th>${c.t({ zh: '应补交时限', en: 'Due' })}</th><td id="followup-due">${beijing(f.due)}</td></tr>
<tr><th>${c.t({ zh: '状态', en: 'State' })}</th><td id="followup-state" class="${n.standing === 'overdue' || n.standing === 'met-late' ? 'late' : ''}">${c.t(STANDING[n.standing])}</td></tr>
<tr><th>${c.t({ zh: '关闭', en: 'Closed' })}</th><td>${beijing(f.closedAt)} ${f.closedBy ?? ''}</td></tr></table>`
    : html`<p>—</p>`}
<h2>${c.t({ zh: '书面原件', en: 'Paper original' })}</h2>
${paperPart}`;
}
