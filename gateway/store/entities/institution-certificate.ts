import { EntitySchema } from 'typeorm';
import { instant } from './columns';

/** A signing certificate of an institution; an institution may have several (renewal overlaps). */
export interface InstitutionCertificateRow {
  /** SHA-256 of the DER certificate, 64 lower-case hex digits. */
  fingerprint: string;
  institutionCode: string;
  /** The certificate, PEM. */
  pem: string;
  notBefore: Date;
  notAfter: Date;
  /** Set when the administrator withdraws the certificate. */
  revokedAt: Date | null;
  addedAt: Date;
}

export const InstitutionCertificateEntity = new EntitySchema<InstitutionCertificateRow>({
  name: 'InstitutionCertificate',
  tableName: 'institution_certificates',
  columns: {
    fingerprint: { type: 'varchar', length: 64, primary: true },
    institutionCode: { type: 'varchar', length: 32, name: 'institution_code' },
    pem: { type: 'text' },
    notBefore: { ...instant, name: 'not_before' },
    notAfter: { ...instant, name: 'not_after' },
    revokedAt: { ...instant, name: 'revoked_at', nullable: true },
    addedAt: { ...instant, name: 'added_at' },
  },
});
