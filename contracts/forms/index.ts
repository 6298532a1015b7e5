import type { FormDeclaration } from '../model/field-types';
import { acknowledgement } from './acknowledgement';
import { contactUpdate } from './contact-update';
import { disposalFeedback } from './disposal-feedback';
import { domainDisposalFeedback } from './domain-disposal-feedback';
import { domainDisposalRequest } from './domain-disposal-request';
import { emergencyNotice } from './emergency-notice';
import { incidentNotice } from './incident-notice';
import { incidentReport } from './incident-report';
import { incidentReportBatch } from './incident-report-batch';
import { monthlyDisposalFeedback } from './monthly-disposal-feedback';
import { monthlyGeneralSummary } from './monthly-general-summary';
import { receipt } from './receipt';
import { rejection } from './rejection';
import { sampleIdentification } from './sample-identification';
import { sampleReport } from './sample-report';
import { verificationResult } from './verification-result';

/** Every form and message of the mechanism, one file each in this folder, in the order of a case. */
export const forms: readonly FormDeclaration[] = [
  sampleReport,
  sampleIdentification,
  incidentReport,
  incidentReportBatch,
  incidentNotice,
  disposalFeedback,
  verificationResult,
  domainDisposalRequest,
  domainDisposalFeedback,
  monthlyGeneralSummary,
  monthlyDisposalFeedback,
  contactUpdate,
  emergencyNotice,
  receipt,
  rejection,
  acknowledgement,
];

const byName = new Map(forms.map((f) => [f.name, f]));

/** The declaration of the form named `name`, or undefined. */
export function formByName(name: string): FormDeclaration | undefined {
  return byName.get(name);
}

export const formNames: readonly string[] = forms.map((f) => f.name);
