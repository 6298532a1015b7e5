import { GatewayError } from '../../contracts/errors/gateway-error';
import { isByLevel, type DueRule } from '../../contracts/obligations/due-rule';
import { EVENT_LEVELS, type EventLevel } from '../../contracts/obligations/event-levels';
import { isObligationId, OBLIGATION_IDS, obligationDeclaration, type ObligationId } from '../../contracts/obligations/obligation-table';
import { checkRule } from './check-rule';
import type { PeriodOverride } from './special-period';

/**
 * The gateway's configured deadlines: replacements for the rules rules.md marks "Default"
 * (e.g. written-followup 1 wd, event-report IV 1 wd, the monthly 10th day, retention 60 days).
 * A deadline the mechanism itself fixes cannot be configured.
 */
export interface DeadlineConfig {
  readonly rules: Partial<Record<ObligationId, PeriodOverride>>;
}

/** No configuration: every default as declared in contracts/obligations. */
export const DEFAULT_DEADLINE_CONFIG: DeadlineConfig = { rules: {} };

/** Checks a deadline configuration (`deadline.unknown-obligation`, `deadline.not-configurable`, `deadline.bad-rule`). */
export function defineDeadlineConfig(rules: Record<string, PeriodOverride>): DeadlineConfig {
  for (const [id, value] of Object.entries(rules)) {
    if (!isObligationId(id)) {
      throw new GatewayError('deadline.unknown-obligation', `deadline configuration: unknown obligation "${id}"; valid choices: ${OBLIGATION_IDS.join(', ')}`, { obligation: id });
    }
    const spec = obligationDeclaration(id).due;
    const entries: Array<[EventLevel | undefined, DueRule]> = typeof (value as { kind?: unknown }).kind === 'string' ? [[undefined, value as DueRule]] : (Object.entries(value) as Array<[EventLevel, DueRule]>);
    for (const [level, rule] of entries) {
      const levels: readonly (EventLevel | undefined)[] = level === undefined ? (isByLevel(spec) ? EVENT_LEVELS : [undefined]) : [level];
      for (const l of levels) {
        const declared = isByLevel(spec) ? (l === undefined ? undefined : spec.byLevel[l]) : spec;
        if (!declared || !('default' in declared) || declared.default !== true) {
          throw new GatewayError('deadline.not-configurable', `deadline configuration: ${id}${l ? ` level ${l}` : ''} is fixed by ${obligationDeclaration(id).article} of the mechanism; only the gateway's defaults can be configured`, { obligation: id, level: l, article: obligationDeclaration(id).article });
        }
      }
      checkRule(rule, `deadline configuration of ${id}${level ? ` level ${level}` : ''}`);
    }
  }
  return { rules: rules as DeadlineConfig['rules'] };
}

/** The configured rule for `obligation` at `level`, if any. */
export function configuredRule(config: DeadlineConfig, obligation: ObligationId, level: EventLevel | undefined): DueRule | undefined {
  const o = config.rules[obligation];
  if (o === undefined) return undefined;
  if (typeof (o as { kind?: unknown }).kind === 'string') return o as DueRule;
  return level === undefined ? undefined : (o as Partial<Record<EventLevel, DueRule>>)[level];
}
