import { EntitySchema } from 'typeorm';
import { instant } from './columns';

/** An accepted message: the exact signed bytes as received, their hash and the parsed envelope. */
export interface MessageRow {
  /** The envelope's message id (unique across the mechanism). */
  id: string;
  /** The form, e.g. `SampleReport`. */
  type: string;
  /** The contract version, e.g. `1.0`. */
  version: string;
  fromCode: string;
  toCodes: string[];
  ccCodes: string[];
  sentAt: Date;
  /** The task number (任务编号) the message belongs to, if any. */
  taskNumber: string | null;
  /** The id of the message this one answers, if any. */
  inReplyTo: string | null;
  /** `xml` (XML-DSig) or `json` (JWS). */
  format: 'xml' | 'json';
  /** The signed bytes exactly as received; what any party can verify later. */
  bytes: Buffer;
  /** SHA-256 of `bytes`, 64 lower-case hex digits. */
  hash: string;
  size: number;
  acceptedAt: Date;
}

export const MessageEntity = new EntitySchema<MessageRow>({
  name: 'Message',
  tableName: 'messages',
  columns: {
    id: { type: 'varchar', length: 128, primary: true },
    type: { type: 'varchar', length: 64 },
    version: { type: 'varchar', length: 16 },
    fromCode: { type: 'varchar', length: 32, name: 'from_code' },
    toCodes: { type: 'simple-json', name: 'to_codes' },
    ccCodes: { type: 'simple-json', name: 'cc_codes' },
    sentAt: { ...instant, name: 'sent_at' },
    taskNumber: { type: 'varchar', length: 64, name: 'task_number', nullable: true },
    inReplyTo: { type: 'varchar', length: 128, name: 'in_reply_to', nullable: true },
    format: { type: 'varchar', length: 8 },
    bytes: { type: 'blob' },
    hash: { type: 'varchar', length: 64 },
    size: { type: 'int' },
    acceptedAt: { ...instant, name: 'accepted_at' },
  },
});
