import { createHash } from 'node:crypto';
import { classifyMail, type ContactDirectory, type MailClass } from './classify-mail';
import { isRefused, parseMail, type FoundForm, type MailAddress, type ParsedMail, type ParseMailOptions } from './parse-mail';
import type { IntakeOutcome, IntakePort, MailFolder, UnsignedMailPort } from './ports';

/** What happened to one mail, for the reply, the alert and the folder. */
export interface MailReport {
  readonly folder: MailFolder;
  readonly classification: MailClass;
  /** The parsed mail (absent when refused before parsing). */
  readonly mail?: ParsedMail;
  /** Where a reply goes (Reply-To, else From; from the IMAP envelope when the mail was not downloaded). */
  readonly replyTo?: MailAddress;
  readonly subject?: string;
  /** One outcome per form, in mail order (or one for an unsigned mail from a contact). */
  readonly outcomes: readonly { readonly form?: FoundForm; readonly outcome: IntakeOutcome }[];
}

/** What processing a mail needs. */
export interface ProcessMailDeps {
  readonly intake: IntakePort;
  readonly contacts: ContactDirectory;
  readonly unsigned: UnsignedMailPort;
  readonly parse?: ParseMailOptions;
  /** Delivery status notifications (bounces) of the gateway's own mail, handled before anything else (dsn.ts); undefined for any other mail. */
  readonly deliveryReports?: (raw: Buffer) => Promise<MailReport | undefined>;
}

function folderOf(outcomes: readonly { outcome: IntakeOutcome }[]): MailFolder {
  return outcomes.some((o) => o.outcome.outcome === 'accepted') ? 'processed' : 'rejected';
}

/**
 * Handles one raw mail: parse, classify, submit every form to intake (the signer is the sender),
 * record an unsigned mail from a contact, and choose its folder — Processed when something was
 * accepted, Rejected when everything was refused, Quarantine when nothing could be understood.
 * Errors thrown by the ports propagate: the mail is then left for a retry.
 */
export async function processMail(raw: Buffer, deps: ProcessMailDeps, received: { readonly at?: Date } = {}): Promise<MailReport> {
  const report = await deps.deliveryReports?.(raw);
  if (report !== undefined) return report;
  const mail = await parseMail(raw, deps.parse);
  const classification = await classifyMail(mail, deps.contacts);
  const parsed = isRefused(mail) ? {} : { mail, subject: mail.subject, ...(mail.replyTo ? { replyTo: mail.replyTo } : {}) };
  switch (classification.kind) {
    case 'forms': {
      const outcomes: { form: FoundForm; outcome: IntakeOutcome }[] = [];
      for (const form of classification.forms) outcomes.push({ form, outcome: await deps.intake.submitForm(form.bytes) });
      return { folder: folderOf(outcomes), classification, ...parsed, outcomes };
    }
    case 'unsigned-from-contact': {
      const m = isRefused(mail) ? undefined : mail;
      const context = {
        sha256: createHash('sha256').update(raw).digest('hex'),
        ...(m?.messageId ? { messageId: m.messageId } : {}), ...(m?.subject ? { subject: m.subject } : {}), ...(received.at ? { receivedAt: received.at } : {}),
      };
      const outcomes = [{ outcome: await deps.unsigned.recordUnsigned(classification, context) }];
      return { folder: folderOf(outcomes), classification, ...parsed, outcomes };
    }
    case 'refused':
      return { folder: 'rejected', classification, ...parsed, outcomes: [] };
    default:
      return { folder: 'quarantine', classification, ...parsed, outcomes: [] };
  }
}

/** The report for a mail too large to download (its size, subject and reply address are known from IMAP). */
export function oversizedReport(size: number, maxMailBytes: number, envelope: { replyTo?: MailAddress; subject?: string } = {}): MailReport {
  return {
    ...envelope,
    folder: 'rejected',
    classification: { kind: 'refused', code: 'email.too-large', reason: `the mail has ${size} bytes, over the ${maxMailBytes} this gateway reads by e-mail; send the form over the API or split it` },
    outcomes: [],
  };
}
