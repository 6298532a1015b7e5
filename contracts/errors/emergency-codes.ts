import { defineCodes } from './code-info';

/**
 * Art. 15 (gateway/emergency): why an unsigned notice — a logged phone call or an unsigned
 * e-mail from a registered contact — could not be recorded as an EmergencyNotice.
 */
export const emergencyCodes = defineCodes('emergency', {
  'emergency.unknown-institution': { description: 'The institution the notice is recorded for is not in the registry.', http: 422, exit: 1 },
  'emergency.no-written-form': { description: 'It cannot be told which written form (IncidentReport, IncidentNotice, DisposalFeedback, VerificationResult) the notice stands for: the institution owes none that Art. 15 lets a phone call or e-mail announce, and none was named.', http: 422, exit: 1 },
  'emergency.invalid-notice': { description: 'The EmergencyNotice built from the call or mail breaks the contract (e.g. a caller field the form cannot carry); nothing was recorded.', http: 422, exit: 1 },
});
