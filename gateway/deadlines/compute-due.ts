import { GatewayError } from '../../contracts/errors/gateway-error';
import type { DueRule } from '../../contracts/obligations/due-rule';
import { EVENT_LEVELS, isEventLevel, type EventLevel } from '../../contracts/obligations/event-levels';
import { isObligationId, OBLIGATION_IDS, obligationDeclaration, type ObligationId } from '../../contracts/obligations/obligation-table';
import type { WorkingCalendar } from '../calendar/working-calendar';
import { applyRule, type RuleOutcome } from './apply-rule';
import { DEFAULT_DEADLINE_CONFIG, type DeadlineConfig } from './deadline-config';
import { needsLevel, resolveRule } from './resolve-rule';
import { periodCovers, type SpecialPeriod } from './special-period';

/** What to compute: an obligation whose clock starts at `start`, at an event level where it matters. */
export interface DueRequest {
  readonly obligation: string;
  readonly start: Date;
  readonly level?: EventLevel | string;
}

/** What the computation needs besides the request. */
export interface DeadlineContext {
  readonly calendar: WorkingCalendar;
  /** Art. 16 periods; one governs an obligation whose clock starts inside it. */
  readonly specialPeriods?: readonly SpecialPeriod[];
  /** The gateway's configured defaults. */
  readonly config?: DeadlineConfig;
}

/** The due instant of an obligation and how it was reached. */
export interface DueResult {
  readonly obligation: ObligationId;
  readonly article: string;
  /** The level, when the deadline depends on it. */
  readonly level?: EventLevel;
  readonly start: Date;
  /** Where the clock started (the month end for monthly rules, else `start`). */
  readonly clockStart: Date;
  /** The due instant; null when the obligation has no deadline. */
  readonly due: Date | null;
  /** The rule applied. */
  readonly rule: Exclude<DueRule, { kind: 'same-as' }>;
  /** Why there is no deadline, when `due` is null. */
  readonly noDeadline?: string;
  /** The id of the Art. 16 special period that made the deadline stricter. */
  readonly specialPeriod?: string;
  /** True when a year the count crossed has no calendar data (counted Monday–Friday). */
  readonly provisional: boolean;
  readonly missingYears: readonly number[];
  readonly warnings: readonly string[];
}

/**
 * Computes the due instant of `request.obligation` (rules.md "Obligations and deadlines").
 * Throws `deadline.unknown-obligation` naming the valid ids, `deadline.level-required` or
 * `grading.invalid-level` naming I–IV. A special period never loosens a deadline: of the
 * normal and the special rule, the earlier due instant wins.
 */
export function computeDue(request: DueRequest, context: DeadlineContext): DueResult {
  const { obligation, start } = request;
  if (!isObligationId(obligation)) {
    throw new GatewayError('deadline.unknown-obligation', `unknown obligation "${obligation}"; valid choices: ${OBLIGATION_IDS.join(', ')}`, { obligation, choices: [...OBLIGATION_IDS] });
  }
  if (request.level !== undefined && !isEventLevel(request.level)) {
    throw new GatewayError('grading.invalid-level', `level: "${request.level}" is not an event level of Art. 8; valid choices: ${EVENT_LEVELS.join(', ')}`, { field: 'level', value: request.level, article: 'Art. 8' });
  }
  const decl = obligationDeclaration(obligation);
  const levelMatters = needsLevel(obligation);
  const level = levelMatters ? (request.level as EventLevel | undefined) : undefined;
  const warnings: string[] = [];
  if (!levelMatters && request.level !== undefined) warnings.push(`the level ${request.level} was ignored: the deadline of ${obligation} does not depend on it`);
  const config = context.config ?? DEFAULT_DEADLINE_CONFIG;

  const normal = resolveRule(obligation, level, config);
  let best: { rule: typeof normal.rule; outcome: RuleOutcome; period?: string } = { rule: normal.rule, outcome: applyRule(normal.rule, start, context.calendar) };
  for (const period of context.specialPeriods ?? []) {
    if (!periodCovers(period, start)) continue;
    const special = resolveRule(obligation, level, config, period);
    if (!special.byPeriod) continue;
    const outcome = applyRule(special.rule, start, context.calendar);
    if (outcome.due !== null && (best.outcome.due === null || outcome.due.getTime() < best.outcome.due.getTime())) {
      best = { rule: special.rule, outcome, period: period.id };
    }
  }
  const { outcome, rule } = best;
  if (outcome.provisional) {
    warnings.push(`provisional: the working-day calendar has no data for ${outcome.missingYears.join(', ')}; those days were counted Monday–Friday. Supply the State Council schedule as a calendar file.`);
  }
  return {
    obligation,
    article: decl.article,
    ...(level !== undefined ? { level } : {}),
    start,
    clockStart: outcome.clockStart,
    due: outcome.due,
    rule,
    ...(rule.kind === 'none' ? { noDeadline: rule.reason } : {}),
    ...(best.period !== undefined ? { specialPeriod: best.period } : {}),
    provisional: outcome.provisional,
    missingYears: outcome.missingYears,
    warnings,
  };
}
