import { randomBytes } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import { formByName } from '../../contracts/forms';
import type { Clock } from '../../gateway/clock';
import type { Mailer, OutgoingMail } from '../../gateway/deliveries/email-worker';
import type { AlertMail } from '../../gateway/obligations/alerts-consumer';
import type { Credential } from '../../gateway/signing/credential';
import { correlationKey, deliveryTag } from './dsn';
import { buildSignedMail } from './smime';

/** What the delivery mailer needs: a nodemailer transport, the gateway's From: address, its credential and a clock. */
export interface NodemailerMailerOptions {
  readonly transport: Pick<Transporter, 'sendMail'>;
  /** The gateway's address: From: and the envelope sender, so bounces come back to the intake mailbox. */
  readonly from: string;
  /** The gateway's own credential: every delivery mail is S/MIME-signed with it. */
  readonly credential: Credential;
  readonly clock: Clock;
}

/** The human summary of a delivered document: Chinese first, then English. */
export function deliverySummary(mail: OutgoingMail): { subject: string; text: string } {
  const form = formByName(mail.type);
  const zh = form ? `《${form.title}》` : mail.type;
  const en = form ? `${form.titleEn} (${form.name})` : mail.type;
  return {
    subject: `[移动恶意程序监测与处置 / Mobile malware gateway] ${zh} ${mail.messageId}`,
    text: [
      `您有一份新的${zh}，报文编号 ${mail.messageId}（投递编号 ${mail.deliveryId}）。签名文件附后，未经改动；本邮件由网关以 S/MIME 签名。`,
      '请回复本邮件并附上您签名的确认单（Acknowledgement），或通过网关 API 确认。',
      '',
      '----------------------------------------',
      '',
      `A new ${en} for you: message ${mail.messageId} (delivery ${mail.deliveryId}). The signed document is attached unchanged; this mail is S/MIME-signed by the gateway.`,
      'Acknowledge it by replying with your signed Acknowledgement attached, or over the gateway API.',
    ].join('\n'),
  };
}

function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? 'mmgw.invalid' : address.slice(at + 1).replace(/[>\s]/g, '') || 'mmgw.invalid';
}

/**
 * deliveries' Mailer port over nodemailer: the signed document attached byte for byte
 * (`<messageId>.xml` or `.jws.json`), a human summary in the body (Chinese first), the whole
 * message S/MIME-signed with the gateway's credential (smime.ts) and handed to the transport as
 * a raw message. The Message-ID and the SMTP envelope id (DSN ENVID) carry the delivery's tag
 * (its id and a MAC only the gateway can make, dsn.ts), so a bounce is matched to its delivery;
 * the envelope sender is `from`, so bounces arrive in the intake mailbox. `send` rejects when the
 * transport did not take the mail, so the e-mail worker retries and falls back.
 */
export function nodemailerMailer(options: NodemailerMailerOptions): Mailer & { sendAlert(alert: AlertMail): Promise<void> } {
  const key = correlationKey(options.credential);
  return {
    /**
     * An alert (reminder, escalation, re-grading, contact confirmation) to one registered address:
     * its Chinese-then-English subject and text, the alert as JSON attached, S/MIME-signed like
     * delivery mail. createGateway mails alerts with it when no other alert mailer is given.
     */
    async sendAlert(alert) {
      const raw = await buildSignedMail({
        headers: { From: options.from, To: alert.to, Subject: alert.subject, 'Message-ID': `<${alert.alertId}.${randomBytes(6).toString('hex')}@${domainOf(options.from)}>`, 'X-MMGW-Alert': alert.alertId },
        text: alert.text,
        attachments: [{ filename: `${alert.alertId}.json`, content: alert.json, contentType: 'application/json' }],
        credential: options.credential,
        at: options.clock.now(),
      });
      await options.transport.sendMail({ envelope: { from: options.from, to: [alert.to] }, raw });
    },
    async send(mail) {
      const summary = deliverySummary(mail);
      const xml = mail.format === 'xml';
      const tag = deliveryTag(key, mail.deliveryId);
      const raw = await buildSignedMail({
        headers: {
          From: options.from,
          To: mail.to,
          Subject: summary.subject,
          'Message-ID': `<${tag}@${domainOf(options.from)}>`,
          'X-MMGW-Delivery': mail.deliveryId,
          'X-MMGW-Message': mail.messageId,
        },
        text: summary.text,
        attachments: [{ filename: `${mail.messageId.replace(/[^A-Za-z0-9._-]/g, '_')}.${xml ? 'xml' : 'jws.json'}`, content: mail.bytes, contentType: xml ? 'application/xml' : 'application/jose+json' }],
        credential: options.credential,
        at: options.clock.now(),
      });
      await options.transport.sendMail({
        envelope: { from: options.from, to: [mail.to] },
        raw,
        dsn: { id: tag, return: 'headers', notify: ['failure', 'delay'], recipient: mail.to },
      });
    },
  };
}
