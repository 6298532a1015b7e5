import { In, type DataSource } from 'typeorm';
import type { Bus, BusMessage, Subscription } from '../bus/port';
import { TransientError } from '../bus/transient-error';
import type { Clock } from '../clock';
import type { Mailer } from '../deliveries/email-worker';
import { transaction } from '../store/transaction';
import { alertRef, alertSpecOf, storeAlert, type AlertSpec } from './alerts';
import { AlertEmailEntity, type AlertRow } from './alerts-entity';

/** One alert e-mail, for a mailer that renders alerts itself. */
export interface AlertMail {
  readonly to: string;
  /** `alr-…`: the alert row (one recipient). */
  readonly alertId: string;
  readonly recipient: string;
  readonly kind: AlertRow['kind'];
  /** Chinese first, then English. */
  readonly subject: string;
  readonly text: string;
  /** The alert as JSON (what `GET /v1/alerts` shows). */
  readonly json: Buffer;
}

/**
 * deliveries' Mailer port, optionally able to send an alert as such. Without `sendAlert` the
 * alert goes through `send` as a document of type `Alert` (JSON, `deliveryId` = the alert id,
 * `messageId` = the alert key).
 */
export type AlertMailer = Mailer & { sendAlert?(mail: AlertMail): Promise<void> };

/** What the alerts consumer needs. */
export interface AlertConsumerOptions {
  readonly clock: Clock;
  /** When set, each alert is also mailed to its recipient's registered addresses. */
  readonly mailer?: AlertMailer;
  /** The queue to consume. @defaultValue 'alerts' */
  readonly queue?: string;
  /** After this long a claimed e-mail that was never marked sent (a process died while sending) is tried again (ms). @defaultValue 60000 */
  readonly staleClaimMs?: number;
}

const SUBJECT_ZH: Record<AlertRow['kind'], string> = { reminder: '时限提醒', escalation: '逾期督办', regrade: '事件升级', 'contact-confirmation': '联系人确认', 'email-quarantine': '邮件隔离' };
const SUBJECT_EN: Record<AlertRow['kind'], string> = { reminder: 'deadline reminder', escalation: 'overdue escalation', regrade: 're-grading', 'contact-confirmation': 'contact confirmation', 'email-quarantine': 'mail quarantined' };

function mailOf(row: AlertRow, to: string): AlertMail {
  const alertId = alertRef(row.id);
  const json = Buffer.from(JSON.stringify({ alertId, kind: row.kind, recipient: row.recipient, subject: row.subject, taskNumber: row.taskNumber, text: row.text, createdAt: row.createdAt.toISOString(), payload: row.payload }, null, 2));
  return {
    to, alertId, recipient: row.recipient, kind: row.kind, json, text: row.text,
    subject: `[移动恶意程序监测与处置 / Mobile malware gateway] ${SUBJECT_ZH[row.kind]} / ${SUBJECT_EN[row.kind]} ${row.subject}`,
  };
}

async function sendOne(mailer: AlertMailer, row: AlertRow, to: string): Promise<void> {
  const mail = mailOf(row, to);
  if (mailer.sendAlert) await mailer.sendAlert(mail);
  else await mailer.send({ to, deliveryId: mail.alertId, messageId: row.alertKey, type: 'Alert', format: 'json', bytes: mail.json });
}

/**
 * Mails the alert rows' pending e-mails: each (row, address) is claimed in the database first
 * (pending → sending; a claim older than `staleClaimMs` may be taken over), so two consumers
 * never mail one address at once, then marked sent. A mailer failure puts it back to pending and
 * throws `TransientError` (`alert.email-failed`): the bus retries the message, whose rows are
 * already stored, and only the unsent e-mails go again. An e-mail another consumer holds and has
 * not marked sent also makes it throw `TransientError`, so the message is not acknowledged until
 * that e-mail is sent — by that consumer, or by a retry once the claim is stale (its holder died).
 */
async function mailPending(dataSource: DataSource, rows: readonly AlertRow[], mailer: AlertMailer, clock: Clock, staleClaimMs: number): Promise<void> {
  if (rows.length === 0) return;
  const byId = new Map(rows.map((r) => [r.id, r]));
  const emails = await transaction(dataSource, (m) => m.find(AlertEmailEntity, { where: { alertId: In([...byId.keys()]), state: In(['pending', 'sending']) }, order: { id: 'ASC' } }));
  const failures: string[] = [];
  const elsewhere: string[] = [];
  for (const e of emails) {
    const now = clock.now();
    const claimed = await transaction(dataSource, (m) => m.createQueryBuilder().update(AlertEmailEntity)
      .set({ state: 'sending', claimedAt: now, attempts: () => 'attempts + 1' })
      .where('id = :id AND (state = :pending OR (state = :sending AND claimed_at < :stale))', { id: e.id, pending: 'pending', sending: 'sending', stale: new Date(now.getTime() - staleClaimMs) })
      .execute());
    if (claimed.affected !== 1) {
      // Claimed by another consumer: sent or being sent. If it stays unsent, its claim goes stale and a retry takes it over.
      const current = await transaction(dataSource, (m) => m.findOneBy(AlertEmailEntity, { id: e.id }));
      if (current?.state !== 'sent') elsewhere.push(e.address);
      continue;
    }
    try {
      await sendOne(mailer, byId.get(e.alertId)!, e.address);
      await transaction(dataSource, (m) => m.update(AlertEmailEntity, { id: e.id }, { state: 'sent', sentAt: clock.now(), lastError: null }));
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      failures.push(`${e.address}: ${why}`);
      await transaction(dataSource, (m) => m.update(AlertEmailEntity, { id: e.id }, { state: 'pending', claimedAt: null, lastError: why.slice(0, 500) }));
    }
  }
  if (failures.length > 0) throw new TransientError(`alert e-mail not taken by the mailer (${failures.join('; ')})`, { code: 'alert.email-failed' });
  // Not acknowledged while another consumer's claim is open: that consumer may have died with it (a redelivery is how we got here).
  if (elsewhere.length > 0) throw new TransientError(`alert e-mail to ${elsewhere.join(', ')} is being sent by another consumer; looking again later`);
}

/**
 * Handles one message of the alerts queue: stores one alert row per recipient (exactly once per
 * alert key and recipient, whatever the redeliveries or racing processes: claimed in `dedupe`,
 * unique in `alerts`), commits, and then, with a mailer, mails each recipient's registered
 * addresses. Resolving acknowledges the message (after the commit); see `mailPending` for retries.
 */
export async function handleAlertMessage(dataSource: DataSource, message: Pick<BusMessage, 'id' | 'topic' | 'payload'>, options: AlertConsumerOptions): Promise<{ spec: AlertSpec; stored: boolean; rows: readonly AlertRow[] }> {
  const spec = alertSpecOf(message);
  const { stored, rows } = await storeAlert(dataSource, spec, options.clock.now(), { email: options.mailer !== undefined });
  if (options.mailer) await mailPending(dataSource, rows, options.mailer, options.clock, options.staleClaimMs ?? 60_000);
  return { spec, stored, rows };
}

/** Subscribes the alerts consumer to the `alerts` queue of `bus`. */
export function startAlertConsumer(bus: Bus, dataSource: DataSource, options: AlertConsumerOptions): Promise<Subscription> {
  return bus.subscribe(options.queue ?? 'alerts', async (message) => void (await handleAlertMessage(dataSource, message, options)));
}
