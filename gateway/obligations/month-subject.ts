/**
 * The subject of an obligation that runs per month rather than per case: cncert's
 * `monthly-general-summary` (Art. 10(3)) and a unit's level IV `disposal-feedback` (Art. 11(4)),
 * both `month:YYYY-MM` (the Beijing month). The prefix tells a monthly disposal-feedback from one
 * whose subject is the IncidentNotice it answers; one spelling for both keeps lookups by subject
 * (closing by the month of a MonthlyGeneralSummary or MonthlyDisposalFeedback) matching.
 */
export function monthSubject(month: string): string {
  return `month:${month}`;
}
