import type { DataSource, EntityManager } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { appendAudit } from '../audit';
import { BEIJING_OFFSET_MS, beijingDateOf, isoDate, startOfBeijingDay } from '../calendar';
import { claimOnce, InstitutionEntity, transaction, writeOutbox } from '../store';
import { actorOf, type ChangedBy } from './apply-update';
import { ContactSetEntity } from './entities';

/** How often units are asked to confirm their contacts: each calendar quarter (Beijing time), or every N days. */
export type ConfirmationEvery = 'quarterly' | number;

/** Options of the confirmation reminder. */
export interface ConfirmationOptions {
  /**
   * The period of the reminder.
   * @defaultValue 'quarterly'
   */
  readonly every?: ConfirmationEvery;
}

/** The default period of the confirmation reminder (issue 8: "default quarterly"). */
export const DEFAULT_CONFIRMATION_EVERY: ConfirmationEvery = 'quarterly';

/** The topic of the reminder asking a unit to confirm its contacts. */
export const CONFIRMATION_REQUESTED_TOPIC = 'contacts.confirmation-requested';

/** One reminder period: its stable key (`2026-Q4`, `30d-684`) and its first instant. */
export interface ConfirmationPeriod {
  readonly key: string;
  readonly start: Date;
}

const DAY_MS = 86_400_000;

/**
 * The period `now` falls in: the Beijing calendar quarter, or the N-day window counted from
 * 1970-01-01 Beijing time (fixed windows, so every caller agrees on the key). A period that is
 * not 'quarterly' or a whole number of days ≥ 1 is `contacts.bad-option`.
 */
export function confirmationPeriod(now: Date, every: ConfirmationEvery = DEFAULT_CONFIRMATION_EVERY): ConfirmationPeriod {
  if (every === 'quarterly') {
    const [year, month] = beijingDateOf(now).split('-').map(Number);
    const quarter = Math.floor((month - 1) / 3) + 1;
    return { key: `${year}-Q${quarter}`, start: startOfBeijingDay(isoDate(year, (quarter - 1) * 3 + 1, 1)) };
  }
  if (!Number.isInteger(every) || every < 1) {
    throw new GatewayError('contacts.bad-option', `every must be 'quarterly' or a whole number of days ≥ 1, got ${JSON.stringify(every)}`, { field: 'every' });
  }
  const window = Math.floor((now.getTime() + BEIJING_OFFSET_MS) / DAY_MS / every);
  return { key: `${every}d-${window}`, start: new Date(window * every * DAY_MS - BEIJING_OFFSET_MS) };
}

/** A unit that has not confirmed (or changed) its contacts in the current period. */
export interface DueConfirmation {
  readonly institution: string;
  readonly period: string;
  readonly periodStart: Date;
  /** The last confirmation or change, or null when the unit never reported contacts. */
  readonly lastConfirmedAt: Date | null;
}

type Source = DataSource | EntityManager;
const managerOf = (source: Source): EntityManager => ('manager' in source ? source.manager : source);

/**
 * The units (every institution of the registry but the gateway itself) whose contacts were
 * neither confirmed nor changed since the start of the current period, by institution code.
 */
export async function dueConfirmations(source: Source, now: Date, options: ConfirmationOptions = {}): Promise<DueConfirmation[]> {
  const period = confirmationPeriod(now, options.every);
  const m = managerOf(source);
  const [institutions, sets] = await Promise.all([m.find(InstitutionEntity, { order: { code: 'ASC' } }), m.find(ContactSetEntity)]);
  const last = new Map(sets.map((s) => [s.institutionCode, Math.max(s.updatedAt.getTime(), s.confirmedAt?.getTime() ?? 0)]));
  return institutions
    .filter((i) => i.kind !== 'gateway')
    .map((i) => ({ institution: i.code, period: period.key, periodStart: period.start, lastConfirmedAt: last.has(i.code) ? new Date(last.get(i.code) as number) : null }))
    .filter((d) => d.lastConfirmedAt === null || d.lastConfirmedAt.getTime() < period.start.getTime());
}

/**
 * Asks every unit due for confirmation to confirm its contacts: per unit, one transaction that
 * claims (unit, period) in the store's dedupe table and, only if this caller won the claim,
 * writes the outbox row `contacts.confirmation-requested` and the audit entry (kind
 * `contact-reminder`). Run by several schedulers at once, each unit is still asked once per
 * period. Returns the reminders this call sent.
 */
export async function sendConfirmationReminders(dataSource: DataSource, now: Date, options: ConfirmationOptions = {}): Promise<DueConfirmation[]> {
  const sent: DueConfirmation[] = [];
  for (const due of await dueConfirmations(dataSource, now, options)) {
    const won = await transaction(dataSource, async (m) => {
      if (!(await claimOnce(m, 'contacts.confirmation-reminder', `${due.institution}:${due.period}`, now))) return false;
      const payload = { institution: due.institution, period: due.period, periodStart: due.periodStart.toISOString(), lastConfirmedAt: due.lastConfirmedAt?.toISOString() ?? null, requestedAt: now.toISOString() };
      await writeOutbox(m, [{ topic: CONFIRMATION_REQUESTED_TOPIC, messageId: `${CONFIRMATION_REQUESTED_TOPIC}:${due.institution}:${due.period}`, payload: Buffer.from(JSON.stringify(payload)) }], now);
      await appendAudit(m, { kind: 'contact-reminder', actor: 'mmgw', subject: `contacts:${due.institution}`, details: { period: due.period, lastConfirmedAt: payload.lastConfirmedAt } }, now);
      return true;
    });
    if (won) sent.push(due);
  }
  return sent;
}

/**
 * Records, inside the caller's transaction, that `institution` confirmed its current contacts
 * unchanged (the answer to the reminder), with an audit entry (kind `contact-confirm`).
 * Errors: `contacts.no-contacts` when it never reported any.
 */
export async function recordConfirmation(manager: EntityManager, input: { readonly institution: string; readonly confirmedBy: ChangedBy }, now: Date): Promise<void> {
  const code = input.institution;
  const set = await manager.findOne(ContactSetEntity, { where: { institutionCode: code } });
  if (set === null) {
    throw new GatewayError('contacts.no-contacts', `institution "${code}" has reported no contacts, so there is nothing to confirm: send a ContactUpdate (Art. 17)`, { institution: code, article: 'Art. 17' });
  }
  const by = actorOf(input.confirmedBy);
  await manager.update(ContactSetEntity, { institutionCode: code }, { confirmedAt: now, confirmedBy: by });
  await appendAudit(manager, { kind: 'contact-confirm', actor: by, subject: `contacts:${code}`, details: { effectiveDate: set.effectiveDate } }, now);
}
