export { noHooks, obligationHooks, type AcceptedMessage, type AcknowledgedDelivery, type CoreHooks } from './hooks';
export { DEFAULT_REMINDER_FRACTIONS, obligationContext, type ObligationContext, type ObligationOptions } from './options';
export { caseView, type CaseView } from './cases';
export { regradeCase, levelCalledFor, type Regrading } from './regrade';
export { runScheduler, alertKey, SCHEDULER_CONSUMER, type SchedulerOptions, type SentAlert } from './scheduler';
export { listObligations, type ListedObligation, type ObligationQuery } from './queries';
export { declareSpecialPeriod, listSpecialPeriods, specialPeriodsAt } from './special-periods';
export { waiveObligation } from './waive';
export * from './entities';
