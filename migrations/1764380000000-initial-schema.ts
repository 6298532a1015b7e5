import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from './column-types';

/**
 * The first schema of the store (issue 4, item 1): the registry of institutions and their
 * certificates, messages, deliveries, receipts, the audit chain and its head, the outbox and
 * the consumers' dedupe table, with the indexes intake, routing, the relay and the delivery
 * workers query by.
 */
export class InitialSchema1764380000000 implements MigrationInterface {
  name = 'InitialSchema1764380000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    const pk = (column: ReturnType<typeof t.varchar>) => ({ ...column, isPrimary: true });

    await queryRunner.createTable(new Table({
      name: 'institutions',
      columns: [pk(t.varchar('code', 32)), t.varchar('kind', 16), t.varchar('name', 200), t.varchar('province', 6, true), t.text('channels'), t.instant('created_at'), t.instant('updated_at')],
      indices: [{ name: 'ix_institutions_kind', columnNames: ['kind'] }],
    }));
    await queryRunner.createTable(new Table({
      name: 'institution_certificates',
      columns: [pk(t.varchar('fingerprint', 64)), t.varchar('institution_code', 32), t.text('pem'), t.instant('not_before'), t.instant('not_after'), t.instant('revoked_at', true), t.instant('added_at')],
      indices: [{ name: 'ix_certificates_institution', columnNames: ['institution_code'] }],
    }));
    await queryRunner.createTable(new Table({
      name: 'messages',
      columns: [
        pk(t.varchar('id', 128)), t.varchar('type', 64), t.varchar('version', 16), t.varchar('from_code', 32), t.text('to_codes'), t.text('cc_codes'),
        t.instant('sent_at'), t.varchar('task_number', 64, true), t.varchar('in_reply_to', 128, true), t.varchar('format', 8), t.bytes('bytes'),
        t.varchar('hash', 64), t.int('size'), t.instant('accepted_at'),
      ],
      indices: [
        { name: 'ix_messages_task', columnNames: ['task_number'] },
        { name: 'ix_messages_reply', columnNames: ['in_reply_to'] },
        { name: 'ix_messages_from_accepted', columnNames: ['from_code', 'accepted_at'] },
        { name: 'ix_messages_accepted', columnNames: ['accepted_at'] },
      ],
    }));
    await queryRunner.createTable(new Table({
      name: 'deliveries',
      columns: [
        t.serial('id'), t.varchar('message_id', 128), t.varchar('recipient_code', 32), t.varchar('role', 2), t.varchar('channel', 16), t.varchar('status', 16),
        t.int('attempts', 0), t.varchar('last_error_code', 64, true), t.instant('queued_at'), t.instant('sent_at', true), t.instant('acknowledged_at', true),
        t.varchar('ack_receipt_id', 128, true), t.instant('next_attempt_at', true), t.instant('status_since'),
      ],
      indices: [
        // One delivery per recipient and channel: a redelivered routing job cannot create a second.
        { name: 'ux_deliveries_message_recipient_channel', columnNames: ['message_id', 'recipient_code', 'channel'], isUnique: true },
        { name: 'ix_deliveries_status_since', columnNames: ['status', 'status_since'] },
        { name: 'ix_deliveries_recipient_status', columnNames: ['recipient_code', 'status'] },
        { name: 'ix_deliveries_status_next', columnNames: ['status', 'next_attempt_at'] },
      ],
    }));
    await queryRunner.createTable(new Table({
      name: 'receipts',
      columns: [pk(t.varchar('id', 128)), t.varchar('kind', 16), t.varchar('message_id', 128, true), t.varchar('issuer_code', 32), t.bytes('bytes'), t.varchar('hash', 64), t.varchar('subject_hash', 64, true), t.instant('created_at')],
      indices: [
        { name: 'ix_receipts_message_kind', columnNames: ['message_id', 'kind'] },
        { name: 'ix_receipts_subject_hash', columnNames: ['subject_hash'] },
      ],
    }));
    await queryRunner.createTable(new Table({
      name: 'audit_entries',
      columns: [pk(t.bigint('seq')), t.instant('time'), t.varchar('kind', 32), t.varchar('actor', 64), t.varchar('subject', 191), t.text('details'), t.varchar('prev_hash', 64), t.varchar('hash', 64)],
      indices: [
        { name: 'ix_audit_subject', columnNames: ['subject'] },
        { name: 'ix_audit_kind_time', columnNames: ['kind', 'time'] },
      ],
    }));
    await queryRunner.createTable(new Table({
      name: 'audit_head',
      columns: [{ ...t.int('id'), isPrimary: true }, t.bigint('seq'), t.varchar('hash', 64)],
    }));
    // The head exists from the start (seq 0, the genesis hash), so appenders only ever lock and update it.
    await queryRunner.query(`INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '${'0'.repeat(64)}')`);
    await queryRunner.createTable(new Table({
      name: 'outbox',
      columns: [
        t.serial('id'), t.varchar('topic', 200), t.varchar('queue', 200, true), t.varchar('state', 8), t.varchar('message_id', 128), t.bytes('payload'), t.text('headers'),
        t.int('attempts', 0), t.varchar('last_error_code', 64, true), t.instant('created_at'), t.instant('available_at'),
      ],
      indices: [
        { name: 'ix_outbox_state_queue_available', columnNames: ['state', 'queue', 'available_at'] },
        { name: 'ix_outbox_message', columnNames: ['message_id'] },
      ],
    }));
    await queryRunner.createTable(new Table({
      name: 'dedupe',
      columns: [pk(t.varchar('consumer', 64)), pk(t.varchar('dedupe_key', 128)), t.instant('done_at')],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['dedupe', 'outbox', 'audit_head', 'audit_entries', 'receipts', 'deliveries', 'messages', 'institution_certificates', 'institutions']) {
      await queryRunner.dropTable(table);
    }
  }
}
