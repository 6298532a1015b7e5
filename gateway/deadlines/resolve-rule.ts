import { GatewayError } from '../../contracts/errors/gateway-error';
import { isByLevel, type DueRule } from '../../contracts/obligations/due-rule';
import { EVENT_LEVELS, type EventLevel } from '../../contracts/obligations/event-levels';
import { isObligationId, obligationDeclaration, type ObligationId } from '../../contracts/obligations/obligation-table';
import { configuredRule, type DeadlineConfig } from './deadline-config';
import { periodOverride, type SpecialPeriod } from './special-period';

/** True when the deadline of `obligation` depends on the event level (directly or through `same-as`). */
export function needsLevel(obligation: ObligationId): boolean {
  const spec = obligationDeclaration(obligation).due;
  if (isByLevel(spec)) return true;
  return spec.kind === 'same-as' && isObligationId(spec.obligation) && needsLevel(spec.obligation);
}

/** The concrete rule that applies, and whether a special period changed it. */
export interface ResolvedRule {
  readonly rule: Exclude<DueRule, { kind: 'same-as' }>;
  readonly byPeriod: boolean;
}

/**
 * The rule for `obligation` at `level`: the declaration, then the gateway configuration, then
 * the special period's override or hour factor; `same-as` is followed to its target.
 */
export function resolveRule(obligation: ObligationId, level: EventLevel | undefined, config: DeadlineConfig, period?: SpecialPeriod): ResolvedRule {
  const decl = obligationDeclaration(obligation);
  const spec = decl.due;
  let rule: DueRule;
  if (isByLevel(spec)) {
    if (level === undefined) {
      throw new GatewayError('deadline.level-required', `the deadline of ${obligation} (${decl.article}) depends on the event level; give the level, valid choices: ${EVENT_LEVELS.join(', ')}`, { obligation, article: decl.article, choices: [...EVENT_LEVELS] });
    }
    rule = spec.byLevel[level];
  } else {
    rule = spec;
  }
  const special = period ? periodOverride(period, obligation, level) : undefined;
  if (special && special.kind !== 'same-as') return { rule: special, byPeriod: true };
  rule = configuredRule(config, obligation, level) ?? rule;
  if (rule.kind === 'same-as') {
    if (!isObligationId(rule.obligation)) throw new Error(`obligation table: ${obligation} refers to unknown ${rule.obligation}`);
    return resolveRule(rule.obligation, level, config, period);
  }
  if (period?.hourFactor !== undefined && period.hourFactor < 1 && rule.kind === 'hours') {
    return { rule: { kind: 'hours', hours: rule.hours * period.hourFactor }, byPeriod: true };
  }
  return { rule, byPeriod: false };
}
