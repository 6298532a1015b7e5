export { applyRule, type RuleOutcome } from './apply-rule';
export { computeDue, type DeadlineContext, type DueRequest, type DueResult } from './compute-due';
export { DEFAULT_DEADLINE_CONFIG, defineDeadlineConfig, type DeadlineConfig } from './deadline-config';
export { describeRule } from './describe-rule';
export { needsLevel, resolveRule, type ResolvedRule } from './resolve-rule';
export { defineSpecialPeriod, periodCovers, specialPeriodFromConfig, type PeriodOverride, type SpecialPeriod, type SpecialPeriodConfig, type SpecialPeriodSpec } from './special-period';
