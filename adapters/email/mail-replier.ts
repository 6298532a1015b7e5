import type { Transporter } from 'nodemailer';
import type { Clock } from '../../gateway/clock';
import type { Credential } from '../../gateway/signing/credential';
import type { MailContactDirectory } from './contact-directory';
import { correlationKey, deliveryTag, newReplyId } from './dsn';
import type { MailReport } from './process-mail';
import type { SignedDocument } from './ports';
import { replyFor } from './reply-text';

/** What the replier needs: a nodemailer transport, the gateway's own address, the directory, a clock. */
export interface MailReplierOptions {
  readonly transport: Pick<Transporter, 'sendMail'>;
  /** The gateway's From: address. */
  readonly from: string;
  readonly contacts: Pick<MailContactDirectory, 'registeredAddressOf'>;
  readonly clock: Clock;
  /**
   * The gateway's credential: when given, each reply's Message-ID and SMTP envelope id (DSN ENVID)
   * carry a tag `rpl-<16 hex>.<MAC>` (dsn.ts), so a bounce of the reply is recognised as the
   * gateway's own (recorded, Processed) instead of being quarantined as unmatched.
   */
  readonly credential?: Credential;
}

/** One attachment of a reply: a signed Receipt or Rejection, unchanged. */
export interface ReplyAttachment {
  readonly filename: string;
  readonly content: Buffer;
  readonly contentType: string;
}

function extensionOf(mediaType: string): string {
  return mediaType.includes('xml') ? 'xml' : 'jws.json';
}

/** The signed gateway documents of a report, named `receipt-<messageId>` / `rejection-<n>`. */
export function replyAttachments(report: MailReport): ReplyAttachment[] {
  const out: ReplyAttachment[] = [];
  report.outcomes.forEach(({ outcome }, i) => {
    const doc: SignedDocument | undefined = outcome.document;
    if (doc === undefined) return;
    // An EmergencyNotice recorded from an unsigned mail: the notice itself (signed by the gateway as recorder), not a Receipt.
    const name = outcome.outcome === 'accepted' ? `${outcome.formType === 'EmergencyNotice' ? 'emergency-notice' : 'receipt'}-${outcome.messageId}` : `rejection-${i + 1}`;
    out.push({ filename: `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.${extensionOf(doc.mediaType)}`, content: doc.bytes, contentType: doc.mediaType });
  });
  return out;
}

/** The institutions a report speaks for: the verified signers of accepted forms, or the contact's institution of an unsigned mail. */
function institutionsOf(report: MailReport): string[] {
  const c = report.classification;
  const codes = c.kind === 'unsigned-from-contact' ? [c.institution] : report.outcomes.flatMap(({ outcome }) => (outcome.outcome === 'accepted' && outcome.institution ? [outcome.institution] : []));
  return [...new Set(codes)];
}

/**
 * The `onHandled` of ImapIntake that answers a mail: to the submitting address and to each
 * institution's registered address when different, with the Chinese-then-English summary of
 * replyFor and every signed Receipt or Rejection attached unchanged. A quarantined mail gets no
 * reply (replyFor says none). A send failure throws, so the mail stays and is handled again
 * (intake's dedupe answers it the same way).
 */
export function mailReplier(options: MailReplierOptions): (report: MailReport) => Promise<void> {
  const key = options.credential ? correlationKey(options.credential) : undefined;
  const domain = options.from.slice(options.from.lastIndexOf('@') + 1).replace(/[>\s]/g, '') || 'mmgw.invalid';
  return async (report) => {
    const text = replyFor(report, { originalSubject: report.subject ?? '', receivedAt: options.clock.now() });
    if (text === undefined) return;
    const to = new Set<string>();
    if (report.replyTo?.address) to.add(report.replyTo.address.toLowerCase());
    for (const code of institutionsOf(report)) {
      const registered = await options.contacts.registeredAddressOf(code);
      if (registered !== undefined) to.add(registered.toLowerCase());
    }
    if (to.size === 0) return;
    const inReplyTo = report.mail?.messageId;
    const tag = key ? deliveryTag(key, newReplyId()) : undefined;
    await options.transport.sendMail({
      ...(tag ? { messageId: `<${tag}@${domain}>`, dsn: { id: tag, return: 'headers', notify: ['failure', 'delay'] } } : {}),
      from: options.from,
      to: [...to],
      subject: text.subject,
      text: text.text,
      attachments: replyAttachments(report).map((a) => ({ ...a })),
      ...(inReplyTo ? { inReplyTo, references: inReplyTo } : {}),
    });
  };
}
