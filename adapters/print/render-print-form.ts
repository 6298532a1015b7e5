import { formByName } from '../../contracts/forms';
import type { ObjectType } from '../../contracts/model/field-types';
import { esc } from '../http/console/html';
import { annexLayoutOf, placedFields, type AnnexLayout } from './annex-layouts';
import { printCss } from './print-css';
import { beijingZh, EMPTY, fieldOf, institutionHtml, itemsTableHtml, valueHtml, type InstitutionNames } from './print-values';

/** The form to print: the envelope's `type` and the decoded `body` of the stored signed message. */
export interface PrintableForm {
  readonly type: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/** What the gateway knows of the stored message besides its form: printed in the authenticity statement. */
export interface PrintMetadata {
  readonly id: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly sentAt: Date;
  /** When the gateway accepted (verified and stored) the message. */
  readonly acceptedAt: Date;
  /** SHA-256 of the exact signed bytes the gateway stores, 64 hex digits. */
  readonly hash: string;
  readonly size?: number;
  readonly taskNumber?: string | null;
  readonly inReplyTo?: string | null;
  readonly signature: {
    /** The signature the stored bytes carry. */
    readonly kind: 'xml-dsig' | 'jws' | 'none';
    /** The signing institution: the sender, as intake verified (certificate CN = `from`). */
    readonly signer: string;
    /** The signing time (the signed `sentAt`). */
    readonly signedAt: Date;
    /** The signer's certificate as read from the signed bytes, when present. */
    readonly certificate?: { readonly subject: string; readonly serial: string; readonly issuer: string };
  };
}

/** Options of the printed document. */
export interface PrintOptions {
  /** Institution code → name (the registry's); codes are printed bare without it. */
  readonly names?: InstitutionNames;
  /** When and by whom the page was produced (printed in the statement). */
  readonly printedAt?: Date;
  readonly printedBy?: string;
  /**
   * HTML shown on screen only, above the form (hidden in print media): the console's print
   * button and links. Inserted as is: the caller escapes it.
   */
  readonly screenOnly?: string;
  /** A script for the screen controls (inserted as is, inside `<script>`), e.g. the print button's handler. */
  readonly script?: string;
}

/** The rendered document with the inline style and script it carries (for a Content-Security-Policy hash). */
export interface PrintedForm {
  /** The complete HTML document. */
  readonly html: string;
  /** The `<style>` text of the document. */
  readonly css: string;
  /** `附件三 较大以上移动互联网恶意程序事件报送表`, or the form's title when it has no annex. */
  readonly heading: string;
}

const SIGNATURE_NAMES = { 'xml-dsig': 'XML-DSig（XML 数字签名）', jws: 'JWS（JSON Web 签名）', none: '无签名（网关记录的报文）' } as const;

const ZH_COMMA = '、';

function addressees(codes: readonly string[], names: InstitutionNames): string {
  return codes.length === 0 ? EMPTY : codes.map((c) => institutionHtml(c, names)).join(ZH_COMMA);
}

/** A row of one to three boxes (label, value) of a six-column annex table. */
function gridRow(cells: readonly { label: string; value: string }[]): string {
  const span = 6 / cells.length - 1;
  return `<tr>${cells.map((c) => `<th scope="row">${esc(c.label)}</th><td${span > 1 ? ` colspan="${span}"` : ''}>${c.value}</td>`).join('')}</tr>`;
}

const COLGROUP = '<colgroup><col class="l"><col class="v"><col class="l"><col class="v"><col class="l"><col class="v"></colgroup>';

function boxes(type: ObjectType, body: Readonly<Record<string, unknown>>, fields: readonly string[], names: InstitutionNames): { label: string; value: string }[] {
  return fields.map((name) => {
    const f = fieldOf(type, name);
    return { label: f.label, value: valueHtml(body[name], f.type, names) };
  });
}

function formTable(rows: string[]): string {
  return `<table class="form">${COLGROUP}<tbody>${rows.join('')}</tbody></table>`;
}

function annexBody(layout: AnnexLayout, type: ObjectType, form: PrintableForm, meta: PrintMetadata, names: InstitutionNames): string {
  const { body } = form;
  const parts: string[] = [];
  if (layout.unitLine) {
    const f = fieldOf(type, layout.unitLine);
    parts.push(`<p class="unit" id="unit-line">（${esc(f.label)}：${valueHtml(body[layout.unitLine], f.type, names)}）</p>`);
  }
  const lines = layout.header.map((h) => {
    if ('envelope' in h) return `<p data-field="to">报：${addressees(meta.to, names)}</p><p data-field="cc">抄报：${addressees(meta.cc, names)}</p>`;
    const f = fieldOf(type, h.field);
    return `<p data-field="${esc(h.field)}">${esc(f.label)}：${valueHtml(body[h.field], f.type, names)}</p>`;
  });
  parts.push(`<div class="header-lines">${lines.join('')}</div>`);
  if (layout.rowsOf) {
    const group = type.fields[layout.rowsOf]?.type;
    const items = Array.isArray(body[layout.rowsOf]) ? (body[layout.rowsOf] as unknown[]) : [];
    if (group?.kind === 'array' && group.of.kind === 'object') parts.push(itemsTableHtml(items, group.of, names, `class="form rows" id="rows" data-field="${esc(layout.rowsOf)}"`));
  }
  if (layout.grid) {
    const rows = layout.grid.map((row) => gridRow(boxes(type, body, row, names)));
    for (const blank of layout.blankBoxes ?? []) rows.push(`<tr><th scope="row">${esc(blank.label)}<br><span class="note">${esc(blank.note)}</span></th><td colspan="5" class="blank"></td></tr>`);
    parts.push(`<table class="form" id="annex-table">${COLGROUP}<tbody>${rows.join('')}</tbody></table>`);
  }
  const placed = placedFields(layout);
  const others = Object.keys(type.fields).filter((k) => !placed.has(k) && body[k] !== undefined);
  const undeclared = Object.keys(body).filter((k) => !(k in type.fields));
  const rest = [...others, ...undeclared];
  if (rest.length > 0) {
    parts.push(`<section class="other" id="other-fields"><h2>附：报文中的其他字段（本附件表格未列）</h2>${formTable(boxes(type, body, rest, names).map((b) => gridRow([b])))}</section>`);
  }
  return parts.join('\n');
}

function genericBody(type: ObjectType, form: PrintableForm, meta: PrintMetadata, names: InstitutionNames): string {
  const { body } = form;
  const keys = [...Object.keys(type.fields), ...Object.keys(body).filter((k) => !(k in type.fields))];
  const header = `<div class="header-lines"><p data-field="from">发送单位：${institutionHtml(meta.from, names)}</p><p data-field="to">报：${addressees(meta.to, names)}</p><p data-field="cc">抄报：${addressees(meta.cc, names)}</p>${meta.taskNumber ? `<p data-field="taskNumber">任务编号：${esc(meta.taskNumber)}</p>` : ''}</div>`;
  return `${header}\n${formTable(boxes(type, body, keys, names).map((b) => gridRow([b])))}`;
}

function statement(meta: PrintMetadata, form: PrintableForm, options: PrintOptions, names: InstitutionNames): string {
  const s = meta.signature;
  const row = (label: string, value: string, id?: string) => `<tr${id ? ` id="${id}"` : ''}><th scope="row">${esc(label)}</th><td>${value}</td></tr>`;
  const rows = [
    row('报文编号', `<code>${esc(meta.id)}</code>`, 'stmt-id'),
    row('报文类型', esc(form.type)),
    row('发送单位', institutionHtml(meta.from, names)),
    row('报 / 抄报', `${addressees(meta.to, names)} / ${addressees(meta.cc, names)}`),
    ...(meta.taskNumber ? [row('任务编号', esc(meta.taskNumber))] : []),
    ...(meta.inReplyTo ? [row('回复报文编号', `<code>${esc(meta.inReplyTo)}</code>`)] : []),
    row('签名方式', esc(SIGNATURE_NAMES[s.kind])),
    row('签名单位', institutionHtml(s.signer, names), 'stmt-signer'),
    ...(s.certificate ? [row('签名证书', `${esc(s.certificate.subject)}；序列号 <code>${esc(s.certificate.serial)}</code>；签发者 ${esc(s.certificate.issuer)}`)] : []),
    row('签名时间（北京时间）', esc(beijingZh(s.signedAt)), 'stmt-signed-at'),
    row('网关接收时间（北京时间）', esc(beijingZh(meta.acceptedAt)), 'stmt-accepted'),
    row('签名报文 SHA-256', `<code>${esc(meta.hash)}</code>${meta.size !== undefined ? `（${meta.size} 字节）` : ''}`, 'stmt-hash'),
    ...(options.printedAt ? [row('打印时间（北京时间）', `${esc(beijingZh(options.printedAt))}${options.printedBy ? `，${esc(options.printedBy)}` : ''}`)] : []),
  ];
  const verified = s.kind === 'none'
    ? '该报文由网关本身记录（如电话、电子邮件先行报告），网关以其报文原样存储。'
    : '网关在接收时已验证该报文的签名、证书链、证书有效期与吊销状态，并核实签名者即发送单位。';
  return `<footer class="authenticity" id="authenticity"><h2>网关真实性声明</h2>
<p class="note">本表由移动互联网恶意程序监测处置网关（mmgw）依据其存储的原始签名报文逐字段生成，内容与签名报文一致。${verified}打印件本身不具有电子签名效力；如需核验，请以下列报文编号向网关调取签名报文，并核对其 SHA-256 摘要。</p>
<table><tbody>${rows.join('')}</tbody></table></footer>`;
}

/**
 * The print-ready HTML document of a stored message as its official form: for Annexes 1–5
 * (SampleReport, SampleIdentification, IncidentReport, IncidentNotice, DisposalFeedback) the
 * annex number and title as in the mechanism, the header lines and the bordered table with the
 * annex's Chinese labels in the annex's order, repeating groups as table rows; every other message
 * as a generic form with its Chinese title and every field. Values are escaped, times in Beijing
 * time, and a footer states the gateway's authenticity facts (message id, SHA-256 of the signed
 * bytes, signer, signing and acceptance times). Pure: the same input gives the same document.
 */
export function renderPrintForm(form: PrintableForm, meta: PrintMetadata, options: PrintOptions = {}): PrintedForm {
  const names = options.names ?? {};
  const declaration = formByName(form.type);
  const type: ObjectType = declaration?.body ?? { kind: 'object', fields: {} };
  const layout = annexLayoutOf(form.type);
  const title = declaration?.title ?? form.type;
  const heading = layout ? `${layout.annex} ${title}` : title;
  const kicker = layout
    ? `<p class="annex-no" id="annex-no">${esc(layout.annex)}</p>`
    : `<p class="annex-no" id="annex-no">${esc(declaration ? `${declaration.source} · ${declaration.titleEn}` : form.type)}</p>`;
  const main = layout ? annexBody(layout, type, form, meta, names) : genericBody(type, form, meta, names);
  const css = printCss(layout?.rowsOf ? 'landscape' : 'portrait');
  const html = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(heading)} · ${esc(meta.id)}</title>
<style>${css}</style></head>
<body data-form="${esc(form.type)}">
${options.screenOnly ? `<div class="screen-only" id="screen-controls">${options.screenOnly}</div>` : ''}
<article class="printed-form">
${kicker}<h1 id="form-title">${esc(title)}</h1>
${main}
${statement(meta, form, options, names)}
</article>${options.script ? `\n<script>${options.script}</script>` : ''}
</body></html>
`;
  return { html, css, heading };
}

/** Whether `type` is printed with an annex layout (Annexes 1–5). */
export function hasAnnexLayout(type: string): boolean {
  return annexLayoutOf(type) !== undefined;
}
