import type { CodeInfo } from './code-info';
import { usageCodes } from './usage-codes';
import { signingCodes } from './signing-codes';
import { clockCodes } from './clock-codes';
import { storeBusAuditCodes } from './store-codes';
import { contractCodes } from './contract-codes';
import { routingCodes } from './routing-codes';
import { emailCodes } from './email-codes';
import { configCodes } from './config-codes';
import { httpCodes } from './http-codes';
import { deliveryCodes } from './delivery-codes';
import { emailDeliveryCodes, emailReportCodes } from './email-delivery-codes';
import { obligationCodes } from './obligation-codes';
import { contactCodes } from './contact-codes';
import { intakeCodes } from './intake-codes';
import { clientCodes } from './client-codes';
import { complianceCodes } from './compliance-codes';
import { consoleCodes } from './console-codes';
import { alertCodes } from './alert-codes';
import { emergencyCodes } from './emergency-codes';

/**
 * Every stable error code of mmgw, merged from the per-area declarations. A code is spelled
 * here (in its area's file) and nowhere else as a bare literal outside its own area.
 */
export const errorCodes = {
  ...usageCodes,
  ...signingCodes,
  ...clockCodes,
  ...storeBusAuditCodes,
  ...contractCodes,
  ...routingCodes,
  ...emailCodes,
  ...configCodes,
  ...httpCodes,
  ...deliveryCodes,
  ...emailDeliveryCodes,
  ...emailReportCodes,
  ...obligationCodes,
  ...contactCodes,
  ...intakeCodes,
  ...clientCodes,
  ...complianceCodes,
  ...consoleCodes,
  ...alertCodes,
  ...emergencyCodes,
} as const satisfies Record<string, CodeInfo>;

export type ErrorCode = keyof typeof errorCodes;

export function codeInfo(code: ErrorCode): CodeInfo {
  return errorCodes[code];
}
