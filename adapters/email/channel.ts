import { createTransport, type Transporter } from 'nodemailer';
import type { Gateway } from '../../gateway/app';
import type { Clock } from '../../gateway/clock';
import type { EmailConfig } from '../../gateway/config';
import type { Mailer } from '../../gateway/deliveries';
import type { GatewayIdentity } from '../../gateway/identity';
import { acknowledgingIntakePort } from './ack-port';
import { contactDirectoryFor } from './contact-directory';
import { deliveryReportHandler } from './dsn';
import { ImapIntake } from './imap-intake';
import { intakePortFor } from './intake-port';
import { mailReplier } from './mail-replier';
import { nodemailerMailer } from './nodemailer-mailer';
import { handledBy, quarantineAlerter } from './quarantine-alert';
import { storeCursor } from './store-cursor';
import { unsignedMailPortFor } from './unsigned-port';

/** The e-mail channel of a running gateway, as `mmgw start` wires it. */
export interface EmailChannel {
  /** The nodemailer SMTP transport (MMGW_SMTP_URL) replies and delivery mail go through. */
  readonly transport: Transporter;
  /** For createGateway's `mailer` option: the delivery Mailer, S/MIME-signing with the gateway's identity. */
  mailer(identity: GatewayIdentity): Mailer;
  /** Starts the IMAP intake on the gateway (when MMGW_IMAP_URL is set); returns what it started. */
  startIntake(gateway: Gateway): ImapIntake | undefined;
  /** One line for the start-up banner (no password). */
  describe(): string;
  /** Stops the intake after the mail in hand (before the gateway core stops). */
  stopIntake(): Promise<void>;
  /** Stops the intake and closes the SMTP transport (after the core's workers stopped). */
  stop(): Promise<void>;
}

/**
 * The e-mail channel from its settings (issue 7): an SMTP transport; the delivery Mailer
 * (nodemailerMailer: S/MIME-signed, tagged for bounces) handed to createGateway, so the e-mail
 * worker and the deadline-aware fall-back run; and, when an intake mailbox is configured, the
 * IMAP intake on the gateway's Intake — forms through the same intake as the API (a signed
 * Acknowledgement of a delivery acknowledges it, ack-port.ts), unsigned mail
 * from a registered contact as an EmergencyNotice, bounces of delivery mail to their delivery
 * (bounces of the tagged replies recorded), quarantined mail alerted, and every other handled
 * mail answered by mail.
 */
export function emailChannel(config: EmailConfig, clock: Clock, log: (line: string) => void): EmailChannel {
  const transport = createTransport({
    host: config.smtp.host, port: config.smtp.port, secure: config.smtp.secure,
    ...(config.smtp.user !== undefined && { auth: { user: config.smtp.user, pass: config.smtp.pass ?? '' } }),
  });
  let intake: ImapIntake | undefined;
  return {
    transport,
    mailer: (identity) => nodemailerMailer({ transport, from: config.from, credential: identity.credential, clock }),
    startIntake(gateway) {
      const imap = config.imap;
      if (imap === undefined || intake !== undefined) return intake;
      const { dataSource } = gateway;
      const contacts = contactDirectoryFor(dataSource);
      intake = new ImapIntake({
        imap: { host: imap.host, port: imap.port, secure: imap.secure, auth: { user: imap.user, pass: imap.pass } },
        mailbox: imap.mailbox,
        cursor: storeCursor(dataSource),
        deps: {
          intake: acknowledgingIntakePort(intakePortFor(gateway.intake), { dataSource, trust: gateway.trust, delivery: gateway.delivery }),
          contacts,
          unsigned: unsignedMailPortFor({ dataSource, identity: gateway.pki.identity, clock, hooks: gateway.hooks }),
          deliveryReports: deliveryReportHandler({
            dataSource, delivery: gateway.delivery, credential: gateway.pki.identity.credential,
            onReport: (h) => { for (const b of h.bounces) log(`mmgw: e-mail: bounce for ${b.deliveryId}: ${b.outcome}`); },
          }),
        },
        onHandled: handledBy(
          quarantineAlerter({ dataSource, clock, mailbox: imap.mailbox, log }),
          mailReplier({ transport, from: config.from, contacts, clock, credential: gateway.pki.identity.credential }),
        ),
        onError: (e) => log(`mmgw: e-mail intake: ${e.message} [${e.code}]`),
      });
      intake.start();
      return intake;
    },
    describe() {
      const smtp = `${config.smtp.secure ? 'smtps' : 'smtp'}://${config.smtp.host}:${config.smtp.port}`;
      const imap = config.imap ? `, intake ${config.imap.secure ? 'imaps' : 'imap'}://${config.imap.host}:${config.imap.port}/${config.imap.mailbox} as ${config.imap.user}` : ', no intake mailbox (MMGW_IMAP_URL unset)';
      return `mmgw: e-mail channel on: mail from ${config.from} via ${smtp}${imap}; deliveries unacknowledged after ${config.deadlineSharePercent} % of their obligation's time are also mailed`;
    },
    async stopIntake() {
      await intake?.stop();
    },
    async stop() {
      await intake?.stop();
      transport.close();
    },
  };
}
