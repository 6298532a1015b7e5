import type { DataSource } from 'typeorm';
import { appendAudit } from '../../gateway/audit/append';
import type { Clock } from '../../gateway/clock';
import { GATEWAY_CODE } from '../../gateway/identity';
import { EMAIL_QUARANTINED_TOPIC } from '../../gateway/obligations/alerts';
import { claimOnce, transaction, writeOutbox } from '../../gateway/store';
import type { MailReport } from './process-mail';

/** The bus topic of a quarantined mail's alert (bound to the gateway's `alerts` queue, gateway/app/topology.ts). */
export const QUARANTINE_TOPIC = EMAIL_QUARANTINED_TOPIC;

/** The dedupe consumer under which each quarantined mail's alert is claimed once. */
export const QUARANTINE_CONSUMER = 'email-quarantine';

/** What the quarantine alerter needs. */
export interface QuarantineAlertOptions {
  readonly dataSource: DataSource;
  readonly clock: Clock;
  /** The mailbox the intake watches (part of the alert's key and text). @defaultValue INBOX */
  readonly mailbox?: string;
  /** Where the log line goes. @defaultValue console.error */
  readonly log?: (line: string) => void;
}

/** What an alert of a quarantined mail says (the bus payload). */
export interface QuarantineAlert {
  readonly mailbox: string;
  readonly uid: number;
  readonly code: string;
  readonly reason: string;
  readonly messageId?: string;
  readonly from?: string;
  readonly subject?: string;
  readonly problems: readonly string[];
  /** Who is told: the gateway's operator. */
  readonly recipients: readonly string[];
  /** Chinese first, then English. */
  readonly text: string;
}

/**
 * An `onHandled` of ImapIntake that raises the alert of every mail moved to Quarantine (issue 7:
 * "anything it cannot make sense of to Quarantine with an alert"). In ONE transaction: the claim
 * of the mail (mailbox, UID, Message-ID) in `dedupe`, so a mail handled again after a crash alerts
 * once; an audit entry `email-quarantine`; and an outbox row `email.quarantined` for the bus's
 * `alerts` queue. Then a log line. Other mails pass through untouched. A database failure throws,
 * so the mail stays in the mailbox and is handled again.
 */
export function quarantineAlerter(options: QuarantineAlertOptions): (report: MailReport, uid: number) => Promise<void> {
  const mailbox = options.mailbox ?? 'INBOX';
  const log = options.log ?? ((line: string) => console.error(line));
  return async (report, uid) => {
    if (report.folder !== 'quarantine') return;
    const c = report.classification;
    const code = 'code' in c && c.code !== undefined ? c.code : 'email.quarantined';
    const reason = 'reason' in c ? c.reason : 'the mail could not be understood';
    const messageId = report.mail?.messageId;
    const from = report.mail?.headerFrom?.address ?? report.replyTo?.address;
    const key = `${mailbox}:${uid}:${messageId ?? ''}`.slice(0, 128);
    const alert: QuarantineAlert = {
      mailbox, uid, code, reason, problems: (report.mail?.problems ?? []).map((p) => p.code), recipients: [GATEWAY_CODE],
      ...(messageId ? { messageId } : {}), ...(from ? { from } : {}), ...(report.subject ? { subject: report.subject } : {}),
      text: `邮件已隔离：${mailbox} 中 UID ${uid} 的邮件（发件人 ${from ?? '未知'}，主题「${report.subject ?? ''}」）无法处理，已移入 Quarantine 文件夹，请人工查看。原因代码 ${code}。\n` +
        `Mail quarantined: mail UID ${uid} of ${mailbox} (from ${from ?? 'unknown'}, subject "${report.subject ?? ''}") could not be understood and was moved to Quarantine for an operator to look at: ${code}: ${reason}`,
    };
    const now = options.clock.now();
    const raised = await transaction(options.dataSource, async (m) => {
      if (!(await claimOnce(m, QUARANTINE_CONSUMER, key, now))) return false;
      await writeOutbox(m, [{ topic: QUARANTINE_TOPIC, messageId: `${QUARANTINE_TOPIC}:${key}`, payload: Buffer.from(JSON.stringify(alert)) }], now);
      await appendAudit(m, { kind: 'email-quarantine', actor: GATEWAY_CODE, subject: (messageId ? `mail:${messageId}` : `mail:${mailbox}:${uid}`).slice(0, 191), details: { mailbox, uid, code, from: from ?? null, subject: (report.subject ?? '').slice(0, 200), problems: [...alert.problems] } }, now);
      return true;
    });
    if (raised) log(`mmgw: e-mail: quarantined mail UID ${uid} of ${mailbox} from ${from ?? 'unknown'}: ${code}: ${reason}`);
  };
}

/** Runs several `onHandled` steps in order (e.g. the quarantine alert, then the reply). */
export function handledBy(...steps: ((report: MailReport, uid: number) => Promise<void>)[]): (report: MailReport, uid: number) => Promise<void> {
  return async (report, uid) => {
    for (const step of steps) await step(report, uid);
  };
}
