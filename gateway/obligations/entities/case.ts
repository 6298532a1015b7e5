import { EntitySchema } from 'typeorm';
import { instant } from '../../store/entities/columns';

/** What a case is about. */
export type CaseKind = 'incident' | 'sample' | 'domain';

/** One level change of a case (Art. 8 re-grading). */
export interface CaseLevelChange {
  readonly from: string | null;
  readonly to: string;
  readonly at: string;
  readonly messageId: string;
}

/**
 * A case: the messages tied by a task number (IncidentReport → IncidentNotice →
 * DisposalFeedback → VerificationResult; SampleReport → SampleIdentification).
 */
export interface CaseRow {
  /** The id of the message that opened the case (the report), or the task number when a notice opened it. */
  key: string;
  /** The task number, once a notice (or identification) gave one. */
  taskNumber: string | null;
  kind: CaseKind;
  level: string | null;
  provinces: string[];
  /** Every institution that sent, received or was copied a message of the case. */
  parties: string[];
  /** Kept past the retention period while set. */
  legalHold: boolean;
  levelHistory: CaseLevelChange[];
  openedAt: Date;
  updatedAt: Date;
}

export const CaseEntity = new EntitySchema<CaseRow>({
  name: 'Case',
  tableName: 'cases',
  columns: {
    key: { type: 'varchar', length: 128, primary: true, name: 'case_key' },
    taskNumber: { type: 'varchar', length: 64, name: 'task_number', nullable: true },
    kind: { type: 'varchar', length: 10 },
    level: { type: 'varchar', length: 3, nullable: true },
    provinces: { type: 'simple-json' },
    parties: { type: 'simple-json' },
    legalHold: { type: 'boolean', name: 'legal_hold', default: false },
    levelHistory: { type: 'simple-json', name: 'level_history' },
    openedAt: { ...instant, name: 'opened_at' },
    updatedAt: { ...instant, name: 'updated_at' },
  },
});

/** A message of a case, with what the hooks later need without decoding it again. */
export interface CaseMessageRow {
  caseKey: string;
  messageId: string;
  type: string;
  fromCode: string;
  /** The level the message states, if any. */
  level: string | null;
  acceptedAt: Date;
}

export const CaseMessageEntity = new EntitySchema<CaseMessageRow>({
  name: 'CaseMessage',
  tableName: 'case_messages',
  columns: {
    caseKey: { type: 'varchar', length: 128, primary: true, name: 'case_key' },
    messageId: { type: 'varchar', length: 128, primary: true, name: 'message_id' },
    type: { type: 'varchar', length: 64 },
    fromCode: { type: 'varchar', length: 32, name: 'from_code' },
    level: { type: 'varchar', length: 3, nullable: true },
    acceptedAt: { ...instant, name: 'accepted_at' },
  },
});
