import { defineCodes } from './code-info';

/**
 * Art. 15 (gateway/emergency): why an unsigned notice — a logged phone call or an unsigned
 * e-mail from a registered contact — could not be recorded as an EmergencyNotice.
 */
export const emergencyCodes = defineCodes('emergency', {
  'emergency.unknown-institution': { description: 'The institution the notice is recorded for is not in the registry.', http: 422, exit: 1 },
  'emergency.no-written-form': { description: 'It cannot be told which written form (IncidentReport, IncidentNotice, DisposalFeedback, VerificationResult) the notice stands for: the institution owes none that Art. 15 lets a phone call or e-mail announce, and none was named.', http: 422, exit: 1 },
  'emergency.invalid-notice': { description: 'The EmergencyNotice built from the call or mail breaks the contract (e.g. a caller field the form cannot carry); nothing was recorded.', http: 422, exit: 1 },
  'emergency.bad-phone-log': { description: 'A logged phone call is incomplete or malformed (an empty caller or summary, an unparseable call time or one in the future, an unknown level or form); every field at fault is named and nothing was recorded.', http: 422, exit: 1 },
  'emergency.unknown-notice': { description: 'No EmergencyNotice (Art. 15, phone or e-mail first) has this message id, so no paper original can be registered for it.', http: 404, exit: 1 },
  'emergency.bad-paper-original': { description: 'The paper original is incomplete or malformed: a missing document number (文号), an unparseable received time or one in the future or before the call, an empty, oversized or non-PDF/JPEG/PNG scan; every field at fault is named and nothing was registered.', http: 422, exit: 1 },
  'emergency.paper-original-exists': { description: 'A paper original is registered for this EmergencyNotice already; a second one is refused and nothing was changed.', http: 409, exit: 1 },
  'emergency.followup-closed': { description: 'The written follow-up of this EmergencyNotice is closed already (the signed form arrived, or it was waived); no paper original is needed and nothing was changed.', http: 409, exit: 1 },
});
