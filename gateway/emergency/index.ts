/** Art. 15: an EmergencyNotice recorded by the gateway on behalf of an institution from an unsigned channel (phone log, unsigned e-mail). */
export { recordEmergencyNotice, emergencyNoticeId, type EmergencyDeps, type EmergencyOutcome, type UnsignedNotice } from './record-emergency-notice';
export { standsForOf, type StandsFor, type WrittenForm } from './stands-for';
export { logPhoneCall, DEFAULT_PHONE_CALL_OPTIONS, type FieldError, type LoggedCall, type PhoneCallInput, type PhoneCallOptions } from './phone-call';
export { registerPaperOriginal, DEFAULT_PAPER_ORIGINAL_OPTIONS, type PaperOriginalDeps, type PaperOriginalInput, type PaperOriginalOptions, type RegisteredPaperOriginal } from './register-paper-original';
export { emergencyNoticeOf, emergencyNotices, followupStanding, paperOriginalScan, type EmergencyNoticeView, type FollowupStanding } from './notices';
export { PaperOriginalEntity, emergencyEntities, type PaperOriginalRow } from './paper-original-entity';
export { parseBeijingTime } from './beijing-time';
export { scanTypeOf, SCAN_EXTENSIONS, type ScanType } from './scan-type';
