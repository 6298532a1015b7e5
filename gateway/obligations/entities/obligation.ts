import { EntitySchema } from 'typeorm';
import { bigintAsNumber, instant } from '../../store/entities/columns';

/** Where an obligation stands: open, met on time, met late, or waived (with a reason). */
export type ObligationState = 'open' | 'met' | 'met-late' | 'waived';

/** One re-timing of an obligation by a re-grading (Art. 8). */
export interface LevelChange {
  readonly from: string | null;
  readonly to: string;
  /** The re-grading instant (ISO 8601, UTC). */
  readonly at: string;
  /** The due instant before the change (ISO 8601, UTC), or null. */
  readonly previousDue: string | null;
  /** The message whose figures caused it. */
  readonly messageId: string;
}

/** One obligation of one party (rules.md "Obligations and deadlines"). */
export interface ObligationRow {
  id: number;
  /** Unique: obligation | party | what it is about; makes opening idempotent. */
  key: string;
  /** The obligation id of the table, e.g. `event-report`. */
  obligation: string;
  /** Who owes it (institution code). */
  party: string;
  /** To whom (institution code), when one party. */
  counterparty: string | null;
  /** The case (its key), when the obligation belongs to one. */
  caseKey: string | null;
  /** What the obligation is about inside the case: a sample, a month (`month:2026-11`), the form an EmergencyNotice stands for. */
  subject: string | null;
  level: string | null;
  /** The message whose receipt opened it (null when an event outside the gateway did). */
  openedBy: string | null;
  /** When the clock started. */
  start: Date;
  /** Null when the obligation has no deadline. */
  due: Date | null;
  /** True when the due instant was counted without calendar data (Monday–Friday). */
  dueProvisional: boolean;
  /** The Art. 16 special period that governs the due instant, if any. */
  specialPeriod: string | null;
  state: ObligationState;
  waivedReason: string | null;
  closedBy: string | null;
  closedAt: Date | null;
  /** True while only an EmergencyNotice (phone/e-mail) meets it; the signed form confirms it (Art. 15). */
  provisional: boolean;
  levelHistory: LevelChange[];
  /** The next instant the scheduler must look at it (a reminder fraction or the deadline); null when nothing is left. */
  nextAlertAt: Date | null;
  openedAt: Date;
}

export const ObligationEntity = new EntitySchema<ObligationRow>({
  name: 'Obligation',
  tableName: 'obligations',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment', transformer: bigintAsNumber },
    key: { type: 'varchar', length: 191, name: 'obligation_key' },
    obligation: { type: 'varchar', length: 40 },
    party: { type: 'varchar', length: 32 },
    counterparty: { type: 'varchar', length: 32, nullable: true },
    caseKey: { type: 'varchar', length: 128, name: 'case_key', nullable: true },
    subject: { type: 'varchar', length: 128, nullable: true },
    level: { type: 'varchar', length: 3, nullable: true },
    openedBy: { type: 'varchar', length: 128, name: 'opened_by', nullable: true },
    start: { ...instant, name: 'start_at' },
    due: { ...instant, name: 'due_at', nullable: true },
    dueProvisional: { type: 'boolean', name: 'due_provisional', default: false },
    specialPeriod: { type: 'varchar', length: 64, name: 'special_period', nullable: true },
    state: { type: 'varchar', length: 10 },
    waivedReason: { type: 'varchar', length: 500, name: 'waived_reason', nullable: true },
    closedBy: { type: 'varchar', length: 128, name: 'closed_by', nullable: true },
    closedAt: { ...instant, name: 'closed_at', nullable: true },
    provisional: { type: 'boolean', default: false },
    levelHistory: { type: 'simple-json', name: 'level_history' },
    nextAlertAt: { ...instant, name: 'next_alert_at', nullable: true },
    openedAt: { ...instant, name: 'opened_at' },
  },
});
