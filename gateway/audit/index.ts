export { appendAudit, appendAuditEntries, AUDIT_KINDS, type AuditEvent } from './append';
export { verifyAuditChain, type AuditVerification, type VerifyOptions } from './verify';
export { auditEntryHash, canonicalJson, GENESIS_HASH, type JsonValue, type HashedAuditFields } from './canonical';
