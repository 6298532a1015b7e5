import { EntitySchema } from 'typeorm';
import { instant } from './columns';

/**
 * A signed document about a message: the gateway's Receipt or Rejection to the sender, or a
 * recipient's acknowledgement to the gateway.
 */
export interface ReceiptRow {
  /** The receipt's own id (its envelope id). */
  id: string;
  kind: 'receipt' | 'rejection' | 'acknowledgement';
  /** The message it is about; null for a rejection of bytes whose id could not be read. */
  messageId: string | null;
  /** Who signed it: the gateway for receipts and rejections, the recipient for acknowledgements. */
  issuerCode: string;
  bytes: Buffer;
  /** SHA-256 of `bytes`. */
  hash: string;
  /** For a rejection: SHA-256 of the refused bytes (to answer a replay with the same rejection). */
  subjectHash: string | null;
  createdAt: Date;
}

export const ReceiptEntity = new EntitySchema<ReceiptRow>({
  name: 'Receipt',
  tableName: 'receipts',
  columns: {
    id: { type: 'varchar', length: 128, primary: true },
    kind: { type: 'varchar', length: 16 },
    messageId: { type: 'varchar', length: 128, name: 'message_id', nullable: true },
    issuerCode: { type: 'varchar', length: 32, name: 'issuer_code' },
    bytes: { type: 'blob' },
    hash: { type: 'varchar', length: 64 },
    subjectHash: { type: 'varchar', length: 64, name: 'subject_hash', nullable: true },
    createdAt: { ...instant, name: 'created_at' },
  },
});
