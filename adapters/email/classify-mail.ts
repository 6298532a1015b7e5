import type { ErrorCode } from '../../contracts/errors/registry';
import { isRefused, type FoundAttachment, type FoundForm, type MailProblem, type ParsedMail, type RefusedMail } from './parse-mail';

/** The registry of institutions' contact addresses, as the e-mail channel needs it (a port). */
export interface ContactDirectory {
  /** The institution code whose registered contact `address` is (lower case), or undefined. */
  institutionOfContact(address: string): Promise<string | undefined>;
}

/** What to do with a mail. */
export type MailClass =
  /** Signed documents found: each goes through intake; the signer is the sender. */
  | { readonly kind: 'forms'; readonly forms: readonly FoundForm[]; readonly spreadsheets: readonly FoundAttachment[]; readonly problems: readonly MailProblem[] }
  /** No form, but a registered contact wrote: a candidate EmergencyNotice (Art. 15), or an .xlsx MonthlyDisposalFeedback. */
  | { readonly kind: 'unsigned-from-contact'; readonly institution: string; readonly address: string; readonly text: string; readonly spreadsheets: readonly FoundAttachment[]; readonly problems: readonly MailProblem[] }
  /** Too large or not a mail: refused with a reply saying why (→ Rejected). */
  | { readonly kind: 'refused'; readonly code: ErrorCode; readonly reason: string }
  /** Nothing to act on from anyone known (→ Quarantine, with an alert). */
  | { readonly kind: 'unintelligible'; readonly code: ErrorCode; readonly reason: string; readonly problems: readonly MailProblem[] }
  /** A delivery status notification about the gateway's own delivery mail or replies (dsn.ts): never answered; `code` set when it names neither (→ Quarantine). */
  | { readonly kind: 'delivery-report'; readonly deliveryIds: readonly string[]; readonly replyIds?: readonly string[]; readonly failed: boolean; readonly code?: ErrorCode; readonly reason: string };

/**
 * Classifies a parsed mail. The `From:` header only decides whether an UNSIGNED mail comes from a
 * registered contact; it never makes anyone the sender of a signed form.
 */
export async function classifyMail(mail: ParsedMail | RefusedMail, contacts: ContactDirectory): Promise<MailClass> {
  if (isRefused(mail)) {
    return mail.refused === 'email.unreadable'
      ? { kind: 'unintelligible', code: mail.refused, reason: mail.message, problems: [] }
      : { kind: 'refused', code: mail.refused, reason: mail.message };
  }
  if (mail.forms.length > 0) return { kind: 'forms', forms: mail.forms, spreadsheets: mail.spreadsheets, problems: mail.problems };
  const text = mail.text.trim();
  if (text === '' && mail.spreadsheets.length === 0) {
    const cut = mail.problems.find((p) => p.code === 'email.truncated-part');
    return { kind: 'unintelligible', code: 'email.no-content', reason: `the mail carries no signed form, no spreadsheet and no text${cut ? ` (${cut.message})` : ''}`, problems: mail.problems };
  }
  const address = mail.headerFrom?.address;
  const institution = address ? await contacts.institutionOfContact(address) : undefined;
  if (!address || !institution) {
    return { kind: 'unintelligible', code: 'email.unknown-sender', reason: `no signed form, and ${address ? `<${address}>` : 'the missing From address'} is not a registered contact of any institution`, problems: mail.problems };
  }
  return { kind: 'unsigned-from-contact', institution, address, text, spreadsheets: mail.spreadsheets, problems: mail.problems };
}
