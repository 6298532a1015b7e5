import type { Transporter } from 'nodemailer';
import { formByName } from '../../contracts/forms';
import type { Mailer, OutgoingMail } from '../../gateway/deliveries/email-worker';

/** What the delivery mailer needs: a nodemailer transport and the gateway's From: address. */
export interface NodemailerMailerOptions {
  readonly transport: Pick<Transporter, 'sendMail'>;
  readonly from: string;
}

/** The human summary of a delivered document: Chinese first, then English. */
export function deliverySummary(mail: OutgoingMail): { subject: string; text: string } {
  const form = formByName(mail.type);
  const zh = form ? `《${form.title}》` : mail.type;
  const en = form ? `${form.titleEn} (${form.name})` : mail.type;
  return {
    subject: `[移动恶意程序监测与处置 / Mobile malware gateway] ${zh} ${mail.messageId}`,
    text: [
      `您有一份新的${zh}，报文编号 ${mail.messageId}（投递编号 ${mail.deliveryId}）。签名文件附后，未经改动。`,
      '请回复本邮件并附上您签名的确认单（Acknowledgement），或通过网关 API 确认。',
      '',
      '----------------------------------------',
      '',
      `A new ${en} for you: message ${mail.messageId} (delivery ${mail.deliveryId}). The signed document is attached unchanged.`,
      'Acknowledge it by replying with your signed Acknowledgement attached, or over the gateway API.',
    ].join('\n'),
  };
}

/**
 * deliveries' Mailer port over nodemailer: the signed document attached byte for byte
 * (`<messageId>.xml` or `.jws.json`), a human summary in the body, Chinese first. The mail is not
 * S/MIME-signed yet. `send` rejects when the transport did not take the mail, so the e-mail
 * worker retries and falls back.
 */
export function nodemailerMailer(options: NodemailerMailerOptions): Mailer {
  return {
    async send(mail) {
      const summary = deliverySummary(mail);
      const xml = mail.format === 'xml';
      await options.transport.sendMail({
        from: options.from,
        to: mail.to,
        subject: summary.subject,
        text: summary.text,
        headers: { 'X-MMGW-Delivery': mail.deliveryId, 'X-MMGW-Message': mail.messageId },
        attachments: [{ filename: `${mail.messageId.replace(/[^A-Za-z0-9._-]/g, '_')}.${xml ? 'xml' : 'jws.json'}`, content: mail.bytes, contentType: xml ? 'application/xml' : 'application/jose+json' }],
      });
    },
  };
}
