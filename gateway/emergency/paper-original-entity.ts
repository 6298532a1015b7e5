import { EntitySchema } from 'typeorm';
import { bigintAsNumber, instant } from '../store/entities/columns';

/**
 * The paper original of an EmergencyNotice (Art. 15): the written form that followed a phone
 * call or an unsigned e-mail, registered by a clerk with its document number (文号), the time it
 * was received and its scan (kept with its SHA-256). One per notice (unique `notice_id`):
 * registering it closes the notice's `written-followup` obligation.
 */
export interface PaperOriginalRow {
  id: number;
  /** The EmergencyNotice (message id) whose written form this is. */
  noticeId: string;
  /** The institution that owed the written form (the follow-up's party). */
  institution: string;
  /** 文号 as printed on the paper. */
  documentNumber: string;
  /** When the paper reached the clerk: the follow-up is met (or met late) then. */
  receivedAt: Date;
  /** The scan's file name as uploaded (shown, never used as a path). */
  fileName: string;
  /** application/pdf, image/jpeg or image/png, as recognised from the bytes. */
  mediaType: string;
  size: number;
  /** SHA-256 of `bytes`, 64 lower-case hex digits. */
  sha256: string;
  bytes: Buffer;
  /** The console user who registered it. */
  registeredBy: string;
  registeredAt: Date;
}

export const PaperOriginalEntity = new EntitySchema<PaperOriginalRow>({
  name: 'PaperOriginal',
  tableName: 'paper_originals',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment', transformer: bigintAsNumber },
    noticeId: { type: 'varchar', length: 128, name: 'notice_id' },
    institution: { type: 'varchar', length: 32 },
    documentNumber: { type: 'varchar', length: 100, name: 'document_number' },
    receivedAt: { ...instant, name: 'received_at' },
    fileName: { type: 'varchar', length: 255, name: 'file_name' },
    mediaType: { type: 'varchar', length: 40, name: 'media_type' },
    size: { type: 'int' },
    sha256: { type: 'varchar', length: 64 },
    bytes: { type: 'blob' },
    registeredBy: { type: 'varchar', length: 64, name: 'registered_by' },
    registeredAt: { ...instant, name: 'registered_at' },
  },
});

/** The entities of gateway/emergency, for the store's DataSource. */
export const emergencyEntities = [PaperOriginalEntity];
