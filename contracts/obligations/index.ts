export { EVENT_LEVELS, EVENT_LEVEL_NAMES, isEventLevel, levelRank, type EventLevel } from './event-levels';
export { isByLevel, type ByLevel, type DueRule, type DueSpec } from './due-rule';
export { isObligationId, OBLIGATION_IDS, OBLIGATIONS, obligationDeclaration, type ObligationDeclaration, type ObligationId } from './obligation-table';
