import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { In, IsNull } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { appendAudit } from '../audit/append';
import { PermanentError } from '../bus/permanent-error';
import type { BusMessage } from '../bus/port';
import { formatBeijing } from '../calendar/beijing-time';
import { ContactPersonEntity } from '../contacts/entities';
import { claimOnce } from '../store/dedupe';
import { InstitutionEntity } from '../store/entities/institution';
import { transaction } from '../store/transaction';
import { AlertEmailEntity, AlertEntity, type AlertKind, type AlertRow } from './alerts-entity';

/** The dedupe consumer under which the alerts consumer claims each bus message. */
export const ALERTS_CONSUMER = 'alerts';

/** What one bus message of the `alerts` queue tells, and to whom. */
export interface AlertSpec {
  /** The bus message id: with the recipient, the dedupe key. */
  readonly key: string;
  readonly topic: string;
  readonly kind: AlertKind;
  readonly subject: string;
  readonly taskNumber: string | null;
  /** Each institution told, once. */
  readonly recipients: readonly string[];
  /** Chinese first, then English. */
  readonly text: string;
  readonly payload: Record<string, unknown>;
}

const CODE = /^[a-z][a-z0-9-]{1,31}$/;

/** The topic of a mail the e-mail intake moved to Quarantine (QUARANTINE_TOPIC of adapters/email/quarantine-alert.ts; the core imports no adapter). */
export const EMAIL_QUARANTINED_TOPIC = 'email.quarantined';

function str(p: Record<string, unknown>, name: string): string | undefined {
  const v = p[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function codes(p: Record<string, unknown>, name: string): string[] {
  const v = p[name];
  return Array.isArray(v) ? v.filter((c): c is string => typeof c === 'string' && CODE.test(c)) : [];
}

function bj(iso: string | undefined): string {
  if (iso === undefined) return '?';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : formatBeijing(d);
}

function bad(message: BusMessage, why: string): PermanentError {
  return new PermanentError(`alerts: the ${message.topic} message ${message.id} cannot be read: ${why}`, { code: 'alert.bad-payload' });
}

/**
 * Reads one message of the `alerts` queue (obligation reminders and escalations written by the
 * scheduler, `case.regraded` written by a re-grading, `contacts.confirmation-requested` by the
 * contact reminder, `email.quarantined` by the e-mail intake's quarantine alerter, told to the
 * recipients it names: the gateway's operator `mmgw`) into what to store and whom to tell. A message that cannot be read is a
 * `PermanentError` (`alert.bad-payload`): parked for an operator, never dropped silently.
 */
export function alertSpecOf(message: Pick<BusMessage, 'id' | 'topic' | 'payload'> & Partial<BusMessage>): AlertSpec {
  let p: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(message.payload.toString('utf8'));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
    p = parsed as Record<string, unknown>;
  } catch (e) {
    throw bad(message as BusMessage, e instanceof Error ? e.message : String(e));
  }
  const task = str(p, 'taskNumber') ?? null;
  const taskZh = task ? `（任务编号 ${task}）` : '';
  const taskEn = task ? ` (task ${task})` : '';
  const base = { key: message.id, topic: message.topic, taskNumber: task, payload: p };
  if (message.topic === 'obligation.reminder' || message.topic === 'obligation.escalation') {
    const obligation = str(p, 'obligation');
    const party = str(p, 'party');
    const recipients = codes(p, 'recipients');
    if (obligation === undefined || party === undefined || recipients.length === 0) throw bad(message as BusMessage, 'obligation, party and recipients are required');
    const due = bj(str(p, 'due'));
    const subject = `obligation:${String(p.obligationRowId ?? '?')}`;
    if (message.topic === 'obligation.reminder') {
      const pct = Math.round(Number(p.fraction) * 100);
      return {
        ...base, kind: 'reminder', subject, recipients,
        text: `提醒：${party} 的 ${obligation} 义务${taskZh}已过时限的 ${pct}%，截止时间 ${due}（北京时间）。\nReminder: ${party}'s ${obligation}${taskEn} has used ${pct} % of its time; it is due ${due} (Beijing time).`,
      };
    }
    return {
      ...base, kind: 'escalation', subject, recipients,
      text: `督办：${party} 的 ${obligation} 义务${taskZh}已于 ${due}（北京时间）到期，尚未完成；已通报 ${recipients.join('、')}。\nEscalation: ${party}'s ${obligation}${taskEn} was due ${due} (Beijing time) and is not met; told to ${recipients.join(', ')}.`,
    };
  }
  if (message.topic === 'case.regraded') {
    const caseKey = str(p, 'caseKey');
    const to = str(p, 'to');
    const recipients = codes(p, 'parties');
    if (caseKey === undefined || to === undefined || recipients.length === 0) throw bad(message as BusMessage, 'caseKey, to and parties are required');
    const from = str(p, 'from') ?? '—';
    const at = bj(str(p, 'at'));
    return {
      ...base, kind: 'regrade', subject: caseKey, recipients,
      text: `升级：事件${taskZh || `（${caseKey}）`}于 ${at} 由 ${from} 级升为 ${to} 级（报文 ${str(p, 'messageId') ?? '?'}），相关时限自升级时重新计算。\nRe-graded: the event${taskEn || ` (${caseKey})`} went from level ${from} to ${to} at ${at} (message ${str(p, 'messageId') ?? '?'}); its level-dependent deadlines restart from then.`,
    };
  }
  if (message.topic === 'contacts.confirmation-requested') {
    const institution = str(p, 'institution');
    if (institution === undefined || !CODE.test(institution)) throw bad(message as BusMessage, 'institution is required');
    const period = str(p, 'period') ?? '?';
    return {
      ...base, kind: 'contact-confirmation', subject: `contacts:${institution}`, recipients: [institution],
      text: `请确认 ${institution} 的监测和处置工作联系人信息（${period}）：如有变更请报送联系人变更（第十七条）。\nPlease confirm ${institution}'s contacts for ${period}, or report the change with a ContactUpdate (Art. 17).`,
    };
  }
  if (message.topic === EMAIL_QUARANTINED_TOPIC) {
    // Written by the e-mail intake's quarantine alerter (adapters/email/quarantine-alert.ts) for the gateway's operator.
    const mailbox = str(p, 'mailbox');
    const uid = p.uid;
    const recipients = codes(p, 'recipients');
    if (mailbox === undefined || typeof uid !== 'number' || !Number.isSafeInteger(uid) || recipients.length === 0) throw bad(message as BusMessage, 'mailbox, uid and recipients are required');
    const code = str(p, 'code') ?? 'email.quarantined';
    const from = str(p, 'from') ?? '未知 / unknown';
    const subject = str(p, 'subject') ?? '';
    return {
      ...base, kind: 'email-quarantine', subject: `mail:${mailbox}:${uid}`, recipients,
      text: str(p, 'text') ?? `邮件已隔离：${mailbox} 中 UID ${uid} 的邮件（发件人 ${from}，主题「${subject}」）已移入 Quarantine 文件夹，请人工查看（${code}）。\nMail quarantined: mail UID ${uid} of ${mailbox} (from ${from}, subject "${subject}") was moved to Quarantine for an operator to look at (${code}).`,
    };
  }
  throw bad(message as BusMessage, `no alert is known for the topic ${message.topic}`);
}

/** The registered e-mail addresses of each institution: its e-mail channel and its contact persons (Art. 17), lower case, each once. */
export async function registeredAddresses(manager: EntityManager, codesToFind: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(codesToFind.map((c) => [c, []]));
  if (codesToFind.length === 0) return out;
  const add = (code: string, address: string | null | undefined) => {
    const a = address?.trim().toLowerCase();
    const list = out.get(code);
    if (a && /^[^@\s]+@[^@\s]+$/.test(a) && list && !list.includes(a)) list.push(a);
  };
  for (const i of await manager.findBy(InstitutionEntity, { code: In([...codesToFind]) })) {
    for (const c of i.channels) if (c.kind === 'email') add(i.code, c.endpoint);
  }
  const people = await manager.find(ContactPersonEntity, { where: { institutionCode: In([...codesToFind]) }, order: { institutionCode: 'ASC', position: 'ASC' } });
  for (const p of people) add(p.institutionCode, p.email);
  return out;
}

/** The key an alert is claimed and stored under: the bus message id, or its SHA-256 when longer than the dedupe column (so two long ids never collide by truncation). */
export function storedAlertKey(messageId: string): string {
  return messageId.length <= 128 ? messageId : `sha256:${createHash('sha256').update(messageId).digest('hex')}`;
}

/** What storing one alert did. */
export interface StoredAlert {
  /** False when the alert had been stored before (a redelivery, or another process got it first). */
  readonly stored: boolean;
  /** The alert rows of this alert, one per recipient. */
  readonly rows: readonly AlertRow[];
}

/**
 * Stores one alert for each recipient in one transaction: the claim of its key in `dedupe`
 * (a racing consumer waits for it, then finds it done), one `alerts` row per recipient (unique
 * per key and recipient), one `alert_emails` row per registered address when `email` is set, and
 * an audit entry `alert`. Run again with the same key, it stores nothing and answers the rows.
 */
export async function storeAlert(dataSource: DataSource, spec: AlertSpec, now: Date, options: { readonly email: boolean }): Promise<StoredAlert> {
  const key = storedAlertKey(spec.key);
  return transaction(dataSource, async (m) => {
    if (!(await claimOnce(m, ALERTS_CONSUMER, key, now))) {
      return { stored: false, rows: await m.find(AlertEntity, { where: { alertKey: key }, order: { id: 'ASC' } }) };
    }
    const recipients = [...new Set(spec.recipients)];
    const addresses = options.email ? await registeredAddresses(m, recipients) : new Map<string, string[]>();
    const rows: AlertRow[] = [];
    for (const recipient of recipients) {
      const row: Omit<AlertRow, 'id'> = {
        alertKey: key, recipient, kind: spec.kind, topic: spec.topic, subject: spec.subject.slice(0, 191), taskNumber: spec.taskNumber,
        text: spec.text, payload: spec.payload, createdAt: now, acknowledgedAt: null,
      };
      const inserted = await m.insert(AlertEntity, row as Parameters<typeof m.insert<AlertRow>>[1]);
      const id = Number(inserted.identifiers[0]?.id);
      rows.push({ ...row, id });
      for (const address of addresses.get(recipient) ?? []) {
        await m.insert(AlertEmailEntity, { alertId: id, address, state: 'pending', attempts: 0, claimedAt: null, sentAt: null, lastError: null });
      }
    }
    await appendAudit(m, { kind: 'alert', actor: 'mmgw', subject: spec.subject, details: { key: spec.key, kind: spec.kind, recipients } }, now);
    return { stored: true, rows };
  });
}

/** One alert for `GET /v1/alerts` and `mmgw alerts`. */
export interface ListedAlert {
  /** `alr-00000012`. */
  readonly alertId: string;
  readonly kind: AlertKind;
  readonly topic: string;
  readonly subject: string;
  readonly taskNumber: string | null;
  readonly text: string;
  readonly payload: Record<string, unknown>;
  readonly createdAt: Date;
  readonly acknowledgedAt: Date | null;
  /** Per registered address, where its e-mail stands (none when no mailer is configured or no address is registered). */
  readonly emails: ReadonlyArray<{ readonly address: string; readonly state: string; readonly sentAt: Date | null }>;
}

/** The query of `listAlerts`. */
export interface AlertQuery {
  /** The institution told (the caller). */
  readonly recipient: string;
  /** The `next` of a previous page. */
  readonly after?: string;
  /** @defaultValue 50 */
  readonly limit?: number;
  /** Only the alerts not acknowledged yet. */
  readonly unacknowledged?: boolean;
}

/** The largest page of alerts. */
export const MAX_ALERT_PAGE = 200;

/** `alr-` and the row id, 8 digits at least. */
export function alertRef(id: number): string {
  return `alr-${String(id).padStart(8, '0')}`;
}

/** The row id of an `alr-…` reference, or undefined. */
export function parseAlertRef(ref: string): number | undefined {
  const m = /^alr-(\d{1,15})$/.exec(ref);
  return m ? Number(m[1]) : undefined;
}

function badQuery(message: string, field: string, value: unknown): GatewayError {
  return new GatewayError('alert.bad-query', message, { field, value, errors: [{ code: 'alert.bad-query', path: `query.${field}`, message }] });
}

/**
 * The alerts of one institution, oldest first, `limit` at a time (keyset paging by id, so the
 * `next` cursor is stable while new alerts arrive). `alert.bad-query` names a bad field.
 */
export async function listAlerts(dataSource: DataSource, query: AlertQuery): Promise<{ items: ListedAlert[]; next: string | null }> {
  const limit = query.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_ALERT_PAGE) throw badQuery(`limit must be a whole number from 1 to ${MAX_ALERT_PAGE}, got ${String(query.limit)}`, 'limit', query.limit);
  const after = query.after === undefined ? 0 : parseAlertRef(query.after);
  if (after === undefined) throw badQuery(`after must be the next cursor of a previous page (alr-…), got "${query.after}"`, 'after', query.after);
  const qb = dataSource.createQueryBuilder(AlertEntity, 'a').where('a.recipient = :recipient AND a.id > :after', { recipient: query.recipient, after });
  if (query.unacknowledged) qb.andWhere('a.acknowledgedAt IS NULL');
  const rows = await qb.orderBy('a.id', 'ASC').limit(limit + 1).getMany();
  const page = rows.slice(0, limit);
  const emails = page.length === 0 ? [] : await dataSource.getRepository(AlertEmailEntity).find({ where: { alertId: In(page.map((r) => r.id)) }, order: { id: 'ASC' } });
  return {
    items: page.map((r) => ({
      alertId: alertRef(r.id), kind: r.kind, topic: r.topic, subject: r.subject, taskNumber: r.taskNumber, text: r.text, payload: r.payload,
      createdAt: r.createdAt, acknowledgedAt: r.acknowledgedAt,
      emails: emails.filter((e) => e.alertId === r.id).map((e) => ({ address: e.address, state: e.state, sentAt: e.sentAt })),
    })),
    next: rows.length > limit ? alertRef(page[page.length - 1]!.id) : null,
  };
}

/**
 * The recipient marks one of its alerts read (optional: an unread alert changes no clock).
 * Acknowledging again answers the first time. `alert.unknown-alert` for an alert that does not
 * exist or is another institution's (the same answer, so nothing leaks).
 */
export async function acknowledgeAlert(dataSource: DataSource, ref: string, caller: string, now: Date): Promise<{ alertId: string; acknowledgedAt: Date; duplicate: boolean }> {
  const id = parseAlertRef(ref);
  const unknown = () => new GatewayError('alert.unknown-alert', `no alert ${ref} of ${caller}`, { alertId: ref });
  if (id === undefined) throw unknown();
  return transaction(dataSource, async (m) => {
    const row = await m.findOneBy(AlertEntity, { id });
    if (row === null || row.recipient !== caller) throw unknown();
    if (row.acknowledgedAt !== null) return { alertId: alertRef(id), acknowledgedAt: row.acknowledgedAt, duplicate: true };
    const done = await m.update(AlertEntity, { id, acknowledgedAt: IsNull() }, { acknowledgedAt: now });
    if (done.affected === 0) {
      const first = await m.findOneByOrFail(AlertEntity, { id });
      return { alertId: alertRef(id), acknowledgedAt: first.acknowledgedAt ?? now, duplicate: true };
    }
    return { alertId: alertRef(id), acknowledgedAt: now, duplicate: false };
  });
}
