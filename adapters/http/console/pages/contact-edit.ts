import { GatewayError } from '../../../../contracts/errors/gateway-error';
import { contactsOf, type ContactPerson, type ContactSheet } from '../../../../gateway/contacts';
import { InstitutionEntity } from '../../../../gateway/store';
import { recordContactUpdateOnBehalf, beijingIso, type OnBehalfDeps } from '../contact-update-on-behalf';
import { html, type Raw } from '../html';
import type { Text } from '../i18n';
import type { ConsolePage, PageContext } from '../page';

/** The people of the form: the field prefix, the body path, the label. */
const PEOPLE: readonly { prefix: string; path: string; label: Text }[] = [
  { prefix: 'leader', path: 'body.leaderInCharge', label: { zh: '主管领导', en: 'Leader in charge' } },
  { prefix: 'head', path: 'body.departmentHead', label: { zh: '责任部门负责人', en: 'Responsible department head' } },
];
const FIELDS: readonly { key: keyof ContactPerson; label: Text; type: string }[] = [
  { key: 'name', label: { zh: '姓名', en: 'Name' }, type: 'text' },
  { key: 'phone', label: { zh: '联系电话', en: 'Phone' }, type: 'tel' },
  { key: 'mobile', label: { zh: '手机', en: 'Mobile' }, type: 'tel' },
  { key: 'email', label: { zh: 'E-Mail', en: 'E-mail' }, type: 'text' },
];
const MAX_CONTACTS = 20;

type Values = Record<string, string>;

/** The form's field for a body path: `body.contacts[1].email` → `contact1.email`. */
function fieldOf(path: string): string {
  for (const p of PEOPLE) if (path.startsWith(`${p.path}.`) || path === p.path) return `${p.prefix}${path.slice(p.path.length)}`;
  const m = /^body\.contacts\[(\d+)\](.*)$/.exec(path);
  if (m) return `contact${m[1]}${m[2]}`;
  return path.replace(/^body\.?/, '');
}

function valuesOf(sheet: ContactSheet | null, today: string): Values {
  const v: Values = { unit: sheet?.unit ?? '', department: sheet?.department ?? '', effectiveDate: today, changes: '' };
  const put = (prefix: string, p: ContactPerson | undefined) => {
    for (const f of FIELDS) v[`${prefix}.${f.key}`] = p?.[f.key] ?? '';
  };
  put('leader', sheet?.leaderInCharge);
  put('head', sheet?.departmentHead);
  (sheet?.contacts ?? []).forEach((p, i) => put(`contact${i}`, p));
  return v;
}

function personOf(v: Values, prefix: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const f of FIELDS) {
    const x = (v[`${prefix}.${f.key}`] ?? '').trim();
    if (x !== '') out[f.key] = x;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** The ContactUpdate body of the posted form: empty optional fields left out, empty contact rows dropped, the leader and head kept (an empty name is refused by the form's rules). */
function bodyOf(v: Values): Record<string, unknown> {
  const contacts: Record<string, string>[] = [];
  for (let i = 0; i < MAX_CONTACTS; i++) {
    const p = personOf(v, `contact${i}`);
    if (p) contacts.push(p);
  }
  const text = (k: string) => (v[k] ?? '').trim();
  return {
    unit: text('unit'),
    ...(text('department') !== '' && { department: text('department') }),
    leaderInCharge: personOf(v, 'leader') ?? { name: '' },
    departmentHead: personOf(v, 'head') ?? { name: '' },
    contacts,
    effectiveDate: text('effectiveDate'),
    ...(text('changes') !== '' && { changes: text('changes') }),
  };
}

function form(c: PageContext, code: string, v: Values, errors: ReadonlyMap<string, string[]>): Raw {
  const input = (name: string, label: Text, type = 'text') => html`<p><label for="${name}">${c.t(label)}</label><input type="${type}" id="${name}" name="${name}" value="${v[name] ?? ''}"${errors.has(name) ? html` aria-invalid="true"` : ''}>
${(errors.get(name) ?? []).map((m) => html`<span class="field-error">${m}</span>`)}</p>`;
  const personSet = (prefix: string, legend: string) => html`<fieldset id="${prefix}"><legend>${legend}</legend>${FIELDS.map((f) => input(`${prefix}.${f.key}`, f.label, f.type))}
${(errors.get(prefix) ?? []).map((m) => html`<span class="field-error">${m}</span>`)}</fieldset>`;
  let rows = 0;
  for (let i = 0; i < MAX_CONTACTS; i++) if (FIELDS.some((f) => (v[`contact${i}.${f.key}`] ?? '') !== '')) rows = i + 1;
  const shown = Math.min(MAX_CONTACTS, rows + 1);
  return html`<form method="post" action="${c.href('/contacts/edit', { institution: code })}" id="contact-form">${c.csrfField}<input type="hidden" name="institution" value="${code}">
${input('unit', { zh: '单位名称', en: 'Unit' })}${input('department', { zh: '责任部门', en: 'Responsible department' })}
${PEOPLE.map((p) => personSet(p.prefix, c.t(p.label)))}
${Array.from({ length: shown }, (_, i) => personSet(`contact${i}`, c.t({ zh: `联系人 ${i + 1}`, en: `Contact person ${i + 1}` })))}
${(errors.get('contacts') ?? []).map((m) => html`<p class="field-error">${m}</p>`)}
${input('effectiveDate', { zh: '变更生效日期', en: 'Effective on' }, 'date')}${input('changes', { zh: '变更情况', en: 'What changed' })}
<p><button type="submit" id="save">${c.t({ zh: '保存并报送', en: 'Save and report' })}</button></p></form>`;
}

/**
 * 修改联系人 — an administrator of an institution (or the gateway administrator) edits its
 * contacts. The form is checked as the ContactUpdate form is (an empty leader, a malformed phone,
 * mobile or e-mail, an effective date beyond the configured bound: each named at its field, 422,
 * nothing changed); a valid one is recorded by the gateway on the institution's behalf as a
 * ContactUpdate to miit, cc cncert, meeting `contact-change` (recordContactUpdateOnBehalf).
 * Another institution's administrator gets 403 and nothing changes.
 */
export function contactEditPage(deps: OnBehalfDeps): ConsolePage {
  const target = async (c: PageContext, code: string) => {
    if (code === '') throw new GatewayError('console.bad-input', 'name the institution whose contacts to edit (?institution=CODE)', { field: 'institution' });
    c.requireInstitution(code);
    if ((await c.ds.manager.findOne(InstitutionEntity, { where: { code } })) === null) throw new GatewayError('contacts.unknown-institution', `institution "${code}" is not in the registry`, { institution: code });
  };
  return {
    path: '/contacts/edit',
    title: { zh: '修改联系人', en: 'Edit contacts' },
    roles: ['gateway-admin', 'institution-admin', 'auditor'],
    postRoles: ['gateway-admin', 'institution-admin'],
    nav: false,
    async get(c) {
      const code = c.query('institution') ?? c.scope ?? '';
      await target(c, code);
      const sheet = await contactsOf(c.ds, code);
      return { title: { zh: `修改联系人 — ${code}`, en: `Edit contacts — ${code}` }, body: form(c, code, valuesOf(sheet, beijingIso(c.now).slice(0, 10)), new Map()) };
    },
    async post(c) {
      const code = (c.form.institution ?? '').trim();
      await target(c, code);
      const values: Values = { ...c.form };
      try {
        const r = await recordContactUpdateOnBehalf(deps, { institution: code, user: c.user.username, body: bodyOf(values) });
        await c.audit('contact-edit', `contacts:${code}`, { messageId: r.messageId, changeId: r.changeId, late: r.late });
        return { redirect: c.href('/registry/unit', { code, saved: r.messageId }) };
      } catch (e) {
        if (!(e instanceof GatewayError)) throw e;
        const listed = Array.isArray(e.facts.errors) ? (e.facts.errors as { path?: string; message: string; code: string; source?: string }[]) : [{ path: typeof e.facts.path === 'string' ? e.facts.path : '', message: e.message, code: e.code, source: typeof e.facts.article === 'string' ? e.facts.article : undefined }];
        const byField = new Map<string, string[]>();
        for (const err of listed) {
          const field = fieldOf(err.path ?? '');
          byField.set(field, [...(byField.get(field) ?? []), `${err.message} [${err.code}]${err.source ? ` (${err.source})` : ''}`]);
        }
        const summary = html`<div class="error" role="alert" id="errors"><p>${c.t({ zh: '未保存，未做任何更改：', en: 'Not saved, nothing was changed:' })}</p><ul>${listed.map((err) => html`<li>${err.path ? `${err.path}: ` : ''}${err.message} [${err.code}]</li>`)}</ul></div>`;
        return { status: 422, title: { zh: `修改联系人 — ${code}`, en: `Edit contacts — ${code}` }, body: html`${summary}${form(c, code, values, byField)}` };
      }
    },
  };
}
