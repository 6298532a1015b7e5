import { EntitySchema } from 'typeorm';
import { bigintAsNumber, instant } from '../store/entities/columns';

/** What an alert tells its recipient. */
export type AlertKind = 'reminder' | 'escalation' | 'regrade' | 'contact-confirmation' | 'email-quarantine';

/**
 * One alert for one recipient (issue 6, item 4): a reminder or escalation of an obligation, a
 * case re-grading, a contact-confirmation request, as the alerts consumer stored it from the
 * bus's `alerts` queue. Unique per (alert key, recipient): that is the dedupe key that makes a
 * redelivered or raced alert count once.
 */
export interface AlertRow {
  id: number;
  /** The bus message id the alert came as (e.g. `obligation.reminder:12@1764…:reminder:0.5`). */
  alertKey: string;
  /** The institution told. */
  recipient: string;
  kind: AlertKind;
  /** The bus topic, e.g. `obligation.escalation`. */
  topic: string;
  /** What it is about: `obligation:12`, a case key, `contacts:op-cmcc`. */
  subject: string;
  /** The task number of the case, when there is one. */
  taskNumber: string | null;
  /** The human text, Chinese first then English. */
  text: string;
  /** The alert's facts as the core wrote them (JSON). */
  payload: Record<string, unknown>;
  createdAt: Date;
  /** When the recipient acknowledged it over the API; null while unread. */
  acknowledgedAt: Date | null;
}

export const AlertEntity = new EntitySchema<AlertRow>({
  name: 'Alert',
  tableName: 'alerts',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment', transformer: bigintAsNumber },
    alertKey: { type: 'varchar', length: 191, name: 'alert_key' },
    recipient: { type: 'varchar', length: 32 },
    kind: { type: 'varchar', length: 24 },
    topic: { type: 'varchar', length: 64 },
    subject: { type: 'varchar', length: 191 },
    taskNumber: { type: 'varchar', length: 64, name: 'task_number', nullable: true },
    text: { type: 'text' },
    payload: { type: 'simple-json' },
    createdAt: { ...instant, name: 'created_at' },
    acknowledgedAt: { ...instant, name: 'acknowledged_at', nullable: true },
  },
});

/** Where the e-mail of an alert to one address stands. */
export type AlertEmailState = 'pending' | 'sending' | 'sent';

/**
 * The e-mail of one alert row to one registered address of its recipient (the institution's
 * e-mail channel and its contact persons, Art. 17). Unique per (alert, address); `sending` is a
 * claim (with its time) so two consumers never mail the same address at once.
 */
export interface AlertEmailRow {
  id: number;
  alertId: number;
  address: string;
  state: AlertEmailState;
  attempts: number;
  claimedAt: Date | null;
  sentAt: Date | null;
  lastError: string | null;
}

export const AlertEmailEntity = new EntitySchema<AlertEmailRow>({
  name: 'AlertEmail',
  tableName: 'alert_emails',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment', transformer: bigintAsNumber },
    alertId: { type: 'bigint', name: 'alert_id', transformer: bigintAsNumber },
    address: { type: 'varchar', length: 191 },
    state: { type: 'varchar', length: 10 },
    attempts: { type: 'int', default: 0 },
    claimedAt: { ...instant, name: 'claimed_at', nullable: true },
    sentAt: { ...instant, name: 'sent_at', nullable: true },
    lastError: { type: 'varchar', length: 500, name: 'last_error', nullable: true },
  },
});
