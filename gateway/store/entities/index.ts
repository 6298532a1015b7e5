import { AuditEntryEntity, AuditHeadEntity } from './audit-entry';
import { DedupeEntity } from './dedupe';
import { DeliveryEntity } from './delivery';
import { InstitutionEntity } from './institution';
import { InstitutionCertificateEntity } from './institution-certificate';
import { MessageEntity } from './message';
import { OutboxEntity } from './outbox';
import { ReceiptEntity } from './receipt';
import { obligationEntities } from '../../obligations/entities';
import { contactEntities } from '../../contacts/entities';
import { registryEntities } from '../../registry/entities';
import { emergencyEntities } from '../../emergency/paper-original-entity';

export * from './audit-entry';
export * from './dedupe';
export * from './delivery';
export * from './institution';
export * from './institution-certificate';
export * from './message';
export * from './outbox';
export * from './receipt';

/** Every entity of the store, for the DataSource. */
export const entities = [
  InstitutionEntity,
  InstitutionCertificateEntity,
  MessageEntity,
  DeliveryEntity,
  ReceiptEntity,
  AuditEntryEntity,
  AuditHeadEntity,
  OutboxEntity,
  DedupeEntity,
  ...obligationEntities,
  ...contactEntities,
  ...registryEntities,
  ...emergencyEntities,
];
