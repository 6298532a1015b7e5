export { draftMonthlyGeneralSummary, parsePeriod, type Period, type SummaryDraft, type SummaryDraftOptions } from './summary-draft';
