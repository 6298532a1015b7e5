import { createHash } from 'node:crypto';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { monthlyDisposalFeedback } from '../../contracts/forms/monthly-disposal-feedback';
import { appendAudit } from '../../gateway/audit/append';
import { ContactPersonEntity } from '../../gateway/contacts/entities';
import { recordEmergencyNotice, type EmergencyDeps } from '../../gateway/emergency';
import { signedRejection, type RuleError } from '../../gateway/intake';
import { transaction } from '../../gateway/store';
import { importMonthlyDisposalFeedback } from '../spreadsheet/monthly-disposal-import';
import type { FoundAttachment } from './parse-mail';
import type { IntakeOutcome, UnsignedMailContext, UnsignedMailPort } from './ports';

/** Who logs an e-mail EmergencyNotice (the form's `recordedBy`, at most 50 characters). */
export const EMAIL_RECORDER = 'mmgw e-mail intake 网关邮件接收';

/** How to send a level IV monthly spreadsheet so that it is accepted (part of the refusal). */
export const HOW_TO_SIGN_SPREADSHEET =
  'Put its rows in a MonthlyDisposalFeedback document (JSON or XML; `mmgw example MonthlyDisposalFeedback` prints one), sign it with your institution\'s certificate (`mmgw sign FILE --key KEY --cert CERT`, or any XML-DSig / JWS tool), and attach the signed document to a mail to this address or submit it over the API; the .xlsx may travel beside it for reading.';

/** What reading an unsigned spreadsheet found: its rows are fine, or their errors by cell. */
async function sheetFindings(sheet: FoundAttachment): Promise<string> {
  // The header boxes come beside the sheet (from the signed document); only the rows are checked here.
  const header = monthlyDisposalFeedback.example.body as Record<string, unknown>;
  const box = (k: string) => String(header[k] ?? '');
  const name = sheet.source.filename ?? `part ${sheet.source.path}`;
  try {
    const read = await importMonthlyDisposalFeedback(sheet.bytes, {
      month: box('month'), reportingUnit: box('reportingUnit'), reporter: box('reporter'), phone: box('phone'), email: box('email'), feedbackAt: box('feedbackAt'),
    });
    const rows = Array.isArray(read.body.rows) ? read.body.rows.length : 0;
    return `${name}: sheet ${read.sheet} read, ${rows} disposal row${rows === 1 ? '' : 's'} valid`;
  } catch (e) {
    if (e instanceof GatewayError) return `${name}: ${e.code}: ${e.message.slice(0, 3000)}`;
    throw e;
  }
}

/**
 * The UnsignedMailPort over the gateway (Art. 15). An unsigned mail from a registered contact:
 * - carrying an .xlsx (a level IV MonthlyDisposalFeedback): refused with `email.unsigned-spreadsheet`
 *   and a signed Rejection — the spreadsheet is not a signed form, and Art. 15's provisional notice
 *   covers the level III-and-above written forms only (the monthly sheet has no 2-hour clock to
 *   save); the refusal says what reading the sheet found (rows valid, or errors by cell) and how to
 *   sign it. An audit entry `reject` records it.
 * - otherwise: recorded as an EmergencyNotice by the gateway (gateway/emergency), the caller as
 *   the contact registry has them, met at the time the mail reached the mailbox, the Message-ID
 *   (else the mail's hash) as its key; a refusal comes back with a signed Rejection.
 */
export function unsignedMailPortFor(deps: EmergencyDeps): UnsignedMailPort {
  const rejection = async (code: string, errors: RuleError[], ctx: UnsignedMailContext): Promise<IntakeOutcome> => {
    const document = await signedRejection({ sha256: ctx.sha256, rejectedAt: deps.clock.now(), errors }, 'json', deps.identity);
    return { outcome: 'rejected', code, reason: errors.map((e) => `${e.code}${e.path ? ` (${e.path})` : ''}: ${e.message}`).join('; '), document };
  };
  return {
    async recordUnsigned(c, context) {
      const ctx: UnsignedMailContext = context ?? { sha256: createHash('sha256').update(c.text).digest('hex') };
      if (c.spreadsheets.length > 0) {
        const findings = [];
        for (const s of c.spreadsheets) findings.push(await sheetFindings(s));
        const message = `an unsigned .xlsx from ${c.address} (${c.institution}) cannot be accepted as a level IV MonthlyDisposalFeedback: only a signed document is, and an unsigned e-mail stands in provisionally only for the level III-and-above forms of Art. 15. ${findings.join('; ')}. ${HOW_TO_SIGN_SPREADSHEET}`;
        await transaction(deps.dataSource, (m) => appendAudit(m, {
          kind: 'reject', actor: c.institution.slice(0, 64), subject: (ctx.messageId ? `mail:${ctx.messageId}` : `sha256:${ctx.sha256}`).slice(0, 191),
          details: { channel: 'email', from: c.address, codes: ['email.unsigned-spreadsheet'], sheets: c.spreadsheets.length },
        }, deps.clock.now()));
        return rejection('email.unsigned-spreadsheet', [{ code: 'email.unsigned-spreadsheet', path: 'attachment', message, source: 'Art. 11(4), Art. 15' }], ctx);
      }
      const person = await deps.dataSource.getRepository(ContactPersonEntity).createQueryBuilder('p')
        .where('LOWER(p.email) = :a AND p.institutionCode = :i', { a: c.address.toLowerCase(), i: c.institution }).orderBy('p.position', 'ASC').getOne();
      const caller = {
        name: person?.name ?? c.address.slice(0, 50), email: c.address,
        ...(person?.phone ? { phone: person.phone } : {}), ...(person?.mobile ? { mobile: person.mobile } : {}),
      };
      const out = await recordEmergencyNotice(deps, {
        institution: c.institution, channel: 'email', caller, at: ctx.receivedAt && ctx.receivedAt <= deps.clock.now() ? ctx.receivedAt : deps.clock.now(),
        summary: [ctx.subject, c.text].filter((s) => s !== undefined && s.trim() !== '').join('\n\n'), recordedBy: EMAIL_RECORDER,
        hint: `${ctx.subject ?? ''}\n${c.text}`, key: ctx.messageId ? `message-id:${ctx.messageId}` : `sha256:${ctx.sha256}`,
        ...(ctx.messageId ? { remarks: `Message-ID ${ctx.messageId}` } : {}),
      });
      if (!out.recorded) return rejection(out.code, [...out.errors], ctx);
      return {
        outcome: 'accepted', messageId: out.messageId, formType: 'EmergencyNotice', document: out.document, institution: c.institution,
        standsFor: out.standsFor, ...(out.followupDue ? { followupDue: out.followupDue } : {}),
      };
    },
  };
}
