import type { X509Certificate } from 'node:crypto';
import { certificateFacts } from './certificates';

/** A certificate that expires soon or has expired. */
export interface ExpiryWarning {
  readonly subject: string;
  readonly notAfter: Date;
  /** Whole days left (negative once expired). */
  readonly daysLeft: number;
  readonly message: string;
}

/** How many days ahead `expiryWarnings` warns. @defaultValue 30 */
export const EXPIRY_WARNING_DAYS = 30;

const DAY_MS = 86_400_000;

/** Warnings for each certificate that expires within `days` of `now` or has already expired. */
export function expiryWarnings(certs: readonly X509Certificate[], now: Date, days = EXPIRY_WARNING_DAYS): ExpiryWarning[] {
  const warnings: ExpiryWarning[] = [];
  for (const cert of certs) {
    const facts = certificateFacts(cert);
    const left = facts.notAfter.getTime() - now.getTime();
    if (left > days * DAY_MS) continue;
    const subject = facts.commonName ?? cert.subject;
    const daysLeft = Math.floor(left / DAY_MS);
    const message = left <= 0
      ? `certificate ${subject} (serial ${facts.serial}) expired on ${facts.notAfter.toISOString()}`
      : `certificate ${subject} (serial ${facts.serial}) expires on ${facts.notAfter.toISOString()}, in ${daysLeft} day(s)`;
    warnings.push({ subject, notAfter: facts.notAfter, daysLeft, message });
  }
  return warnings;
}
