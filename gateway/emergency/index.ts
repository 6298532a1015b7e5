/** Art. 15: an EmergencyNotice recorded by the gateway on behalf of an institution from an unsigned channel (phone log, unsigned e-mail). */
export { recordEmergencyNotice, emergencyNoticeId, type EmergencyDeps, type EmergencyOutcome, type UnsignedNotice } from './record-emergency-notice';
export { standsForOf, type StandsFor, type WrittenForm } from './stands-for';
