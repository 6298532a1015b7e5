import { formByName } from '../../contracts/forms';
import { codeInfo, errorCodes, type ErrorCode } from '../../contracts/errors/registry';
import type { MailReport } from './process-mail';

/** A reply's subject and plain-text body: Chinese first, then English. */
export interface ReplyText {
  readonly subject: string;
  readonly text: string;
}

/** Facts every reply states. */
export interface ReplyContext {
  /** The subject of the mail answered (quoted in the reply's subject). */
  readonly originalSubject: string;
  /** When the gateway received the mail (from the injected clock). */
  readonly receivedAt: Date;
}

const SEPARATOR = '\n\n----------------------------------------\n\n';

/** An instant as Beijing time, the mechanism's time zone: `2026-11-28 10:52:00 (UTC+8)`. */
export function beijingTime(at: Date): string {
  return `${new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ')} (UTC+8)`;
}

function formTitles(type: string | undefined): { zh: string; en: string } {
  const form = type ? formByName(type) : undefined;
  return form ? { zh: `《${form.title}》`, en: `${form.titleEn} (${form.name})` } : { zh: '表单', en: 'form' };
}

function subjectOf(tagZh: string, tagEn: string, original: string): string {
  const quoted = original.trim() === '' ? '' : `: ${original.trim().slice(0, 120)}`;
  return `[${tagZh} / ${tagEn}]${quoted}`;
}

function reasonOf(code: string): string {
  return code in errorCodes ? codeInfo(code as ErrorCode).description : code;
}

/** The reply to accepted forms: what was received, as which message, when. The Receipt is attached by the caller. */
export function receiptReply(ctx: ReplyContext, accepted: readonly { messageId: string; formType?: string }[]): ReplyText {
  return join(subjectOf('回执', 'Receipt', ctx.originalSubject), receiptParts(ctx, accepted));
}

function join(subject: string, parts: Parts): ReplyText {
  return { subject, text: `${parts.zh}${SEPARATOR}${parts.en}` };
}

interface Parts { readonly zh: string; readonly en: string }

function receiptParts(ctx: ReplyContext, accepted: readonly { messageId: string; formType?: string }[]): Parts {
  const at = beijingTime(ctx.receivedAt);
  const zh = accepted.map((a) => `  - ${formTitles(a.formType).zh}，编号 ${a.messageId}`).join('\n');
  const en = accepted.map((a) => `  - ${formTitles(a.formType).en}, id ${a.messageId}`).join('\n');
  return {
    zh: `本网关已于 ${at} 收到并受理以下电子签名表单（签名已验证，发送方以签名证书为准）：\n${zh}\n回执附后。`,
    en: `The gateway received and accepted the following signed form(s) at ${at} (signature verified; the sender is the signer of the certificate):\n${en}\nThe Receipt is attached.`,
  };
}

/** The reply to a refused form or mail: which rule it broke, by its stable code. The Rejection (when there is one) is attached by the caller. */
export function rejectionReply(ctx: ReplyContext, refused: readonly { code: string; reason: string; formType?: string }[]): ReplyText {
  return join(subjectOf('退回', 'Rejection', ctx.originalSubject), rejectionParts(ctx, refused));
}

function rejectionParts(ctx: ReplyContext, refused: readonly { code: string; reason: string; formType?: string }[]): Parts {
  const at = beijingTime(ctx.receivedAt);
  const zh = refused.map((r) => `  - ${formTitles(r.formType).zh}：未受理，原因代码 ${r.code}`).join('\n');
  const en = refused.map((r) => `  - ${formTitles(r.formType).en}: refused, code ${r.code}: ${r.reason || reasonOf(r.code)}`).join('\n');
  return {
    zh: `本网关于 ${at} 收到的邮件未被受理：\n${zh}\n请按原因更正后重新发送经电子签名的表单（XML 签名或 JWS），作为邮件附件或通过接口提交。`,
    en: `The mail the gateway received at ${at} was not accepted:\n${en}\nPlease correct it and send the signed form again (XML-DSig or JWS), attached to a mail or over the API.`,
  };
}

/**
 * The acknowledgement of an unsigned mail from a registered contact, recorded as an
 * EmergencyNotice (Art. 15): it meets the clock provisionally, the signed written form must
 * follow by `followupDue`, and how to send it.
 */
export function emergencyNoticeReply(ctx: ReplyContext, notice: { messageId: string; institution: string; followupDue?: Date; standsFor?: string }): ReplyText {
  const at = beijingTime(ctx.receivedAt);
  const form = notice.standsFor ? formTitles(notice.standsFor) : undefined;
  const dueZh = notice.followupDue ? `请于 ${beijingTime(notice.followupDue)} 前` : '请尽快';
  const dueEn = notice.followupDue ? `by ${beijingTime(notice.followupDue)}` : 'as soon as possible';
  return {
    subject: subjectOf('紧急通报已登记', 'Emergency notice recorded', ctx.originalSubject),
    text:
      `本网关已于 ${at} 收到 ${notice.institution} 登记联系人发来的未签名邮件，按《工作机制》第十五条登记为紧急通报（编号 ${notice.messageId}）。` +
      `该通报暂时满足相应时限，但只是临时有效：${dueZh}补发经电子签名的统一书面表单${form ? form.zh : ''}（XML 签名或 JWS，作为邮件附件发送至本地址，或通过接口提交）。本网关登记的紧急通报附后。` +
      SEPARATOR +
      `The gateway received an unsigned mail from a registered contact of ${notice.institution} at ${at} and recorded it as an emergency notice (Art. 15), id ${notice.messageId}. ` +
      `It meets the deadline provisionally only: please send the signed unified written form${form ? `, the ${form.en},` : ''} ${dueEn} (XML-DSig or JWS, attached to a mail to this address, or over the API). The notice as the gateway recorded it is attached.`,
  };
}

/** The refusal of an unsigned level IV spreadsheet: why, what the sheet holds, and how to send it signed. */
export function unsignedSpreadsheetReply(ctx: ReplyContext, reason: string): ReplyText {
  const at = beijingTime(ctx.receivedAt);
  return {
    subject: subjectOf('退回：电子表格未签名', 'Rejection: unsigned spreadsheet', ctx.originalSubject),
    text:
      `本网关于 ${at} 收到的邮件附有未经电子签名的 .xlsx 电子表格（四级事件月度处置反馈，第十一条第四项），未受理（原因代码 email.unsigned-spreadsheet）。` +
      '网关只受理经电子签名的表单；未签名邮件按第十五条只能临时代替较大以上事件的书面表单，不适用于月度电子表格。' +
      '请将表格各行填入《四级事件月度处置反馈》报文（JSON 或 XML，可用 `mmgw example MonthlyDisposalFeedback` 查看样例），用本单位证书签名（`mmgw sign 文件 --key 私钥 --cert 证书`，或任何 XML 签名 / JWS 工具），' +
      '再作为邮件附件发送至本地址或通过接口提交；电子表格可一并附上供阅读。表格检查结果见下方英文说明。' +
      SEPARATOR +
      `The mail the gateway received at ${at} carries an unsigned .xlsx (level IV monthly disposal feedback, Art. 11(4)); it was not accepted (code email.unsigned-spreadsheet): ${reason}`,
  };
}

/**
 * The reply a handled mail gets, or undefined when it gets none: a quarantined mail (unknown
 * sender, unintelligible) raises an alert instead, never an answer to an unverified address.
 */
export function replyFor(report: MailReport, ctx: ReplyContext, facts: { followupDue?: Date } = {}): ReplyText | undefined {
  const reply = replyBody(report, ctx, facts);
  const problems = report.mail?.problems ?? [];
  if (reply === undefined || problems.length === 0) return reply;
  // What could not be read is said too: a cut part or an unopened forwarded mail may have held a form (never lost silently).
  const zh = `\n\n注意：邮件有部分内容未能读取，其中可能有表单，请核对后重新发送：\n${problems.map((p) => `  - ${p.code}`).join('\n')}`;
  const en = `\n\nNote: part of the mail could not be read and may have held a form; please check and send it again:\n${problems.map((p) => `  - ${p.code}: ${p.message}`).join('\n')}`;
  const at = reply.text.indexOf(SEPARATOR);
  return { subject: reply.subject, text: at < 0 ? `${reply.text}${zh}${en}` : `${reply.text.slice(0, at)}${zh}${reply.text.slice(at)}${en}` };
}

function replyBody(report: MailReport, ctx: ReplyContext, facts: { followupDue?: Date }): ReplyText | undefined {
  const c = report.classification;
  if (c.kind === 'unintelligible' || c.kind === 'delivery-report') return undefined;
  if (c.kind === 'refused') return rejectionReply(ctx, [{ code: c.code, reason: c.reason }]);
  if (c.kind === 'unsigned-from-contact') {
    const o = report.outcomes[0]?.outcome;
    if (o?.outcome === 'accepted') {
      const due = o.followupDue ?? facts.followupDue;
      return emergencyNoticeReply(ctx, { messageId: o.messageId, institution: c.institution, ...(due ? { followupDue: due } : {}), ...(o.standsFor ? { standsFor: o.standsFor } : {}) });
    }
    if (o?.outcome === 'rejected' && o.code === 'email.unsigned-spreadsheet') return unsignedSpreadsheetReply(ctx, o.reason);
    return o ? rejectionReply(ctx, [{ code: o.code, reason: o.reason }]) : undefined;
  }
  const accepted: { messageId: string; formType?: string }[] = [];
  const refused: { code: string; reason: string; formType?: string }[] = [];
  for (const { outcome, form } of report.outcomes) {
    const formType = outcome.formType ?? form?.formType;
    if (outcome.outcome === 'accepted') accepted.push({ messageId: outcome.messageId, ...(formType ? { formType } : {}) });
    else refused.push({ code: outcome.code, reason: outcome.reason, ...(formType ? { formType } : {}) });
  }
  if (refused.length === 0) return receiptReply(ctx, accepted);
  if (accepted.length === 0) return rejectionReply(ctx, refused);
  const r = receiptParts(ctx, accepted);
  const j = rejectionParts(ctx, refused);
  return join(subjectOf('部分受理', 'Partly accepted', ctx.originalSubject), { zh: `${r.zh}\n\n${j.zh}`, en: `${r.en}\n\n${j.en}` });
}
