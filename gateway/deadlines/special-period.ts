import { GatewayError } from '../../contracts/errors/gateway-error';
import type { DueRule } from '../../contracts/obligations/due-rule';
import type { EventLevel } from '../../contracts/obligations/event-levels';
import { isObligationId, OBLIGATION_IDS, type ObligationId } from '../../contracts/obligations/obligation-table';
import { formatBeijing } from '../calendar/beijing-time';
import { parseInstant } from '../clock/parse-instant';
import { checkRule } from './check-rule';

/** A stricter rule for one obligation: for every level, or per level. */
export type PeriodOverride = DueRule | Partial<Record<EventLevel, DueRule>>;

/** What an administrator declares for a special period (Art. 16). */
export interface SpecialPeriodSpec {
  readonly id: string;
  /** e.g. 2022 Beijing Winter Olympics. */
  readonly name: string;
  /** Obligations whose clock starts at or after `start` and before `end` are governed by the period. */
  readonly start: Date;
  readonly end: Date;
  /** Multiplies every hour deadline (e.g. 0.5 halves them); more than 0, at most 1. */
  readonly hourFactor?: number;
  /** Stricter rules for named obligations. */
  readonly overrides?: Partial<Record<ObligationId, PeriodOverride>>;
}

/** A checked special period. */
export interface SpecialPeriod extends SpecialPeriodSpec {
  readonly kind: 'special-period';
}

/**
 * Declares an Art. 16 special period with stricter limits. Refuses a period that ends before
 * (or when) it starts, a factor that would lengthen deadlines, and overrides of unknown
 * obligations or malformed rules.
 */
export function defineSpecialPeriod(spec: SpecialPeriodSpec): SpecialPeriod {
  const facts = { period: spec.id, article: 'Art. 16' };
  if (Number.isNaN(spec.start.getTime()) || Number.isNaN(spec.end.getTime())) {
    throw new GatewayError('clock.invalid-instant', `special period ${spec.id}: start and end must be valid instants`, facts);
  }
  if (spec.end.getTime() <= spec.start.getTime()) {
    throw new GatewayError('special-period.ends-before-start', `special period ${spec.id}: it ends (${formatBeijing(spec.end)}) before or when it starts (${formatBeijing(spec.start)})`, { ...facts, start: spec.start.toISOString(), end: spec.end.toISOString() });
  }
  if (spec.hourFactor !== undefined && !(Number.isFinite(spec.hourFactor) && spec.hourFactor > 0 && spec.hourFactor <= 1)) {
    throw new GatewayError('special-period.not-stricter', `special period ${spec.id}: hourFactor ${spec.hourFactor} must be more than 0 and at most 1 (Art. 16 allows stricter limits only)`, { ...facts, hourFactor: spec.hourFactor });
  }
  for (const [id, override] of Object.entries(spec.overrides ?? {})) {
    if (!isObligationId(id)) {
      throw new GatewayError('deadline.unknown-obligation', `special period ${spec.id}: override for unknown obligation "${id}"; valid choices: ${OBLIGATION_IDS.join(', ')}`, { ...facts, obligation: id });
    }
    const rules = isRule(override) ? [override] : Object.values(override as Record<string, DueRule>);
    for (const rule of rules) checkRule(rule, `special period ${spec.id}, override of ${id}`);
  }
  return { ...spec, kind: 'special-period' };
}

/** True when the period governs an obligation whose clock starts at `start`. */
export function periodCovers(period: SpecialPeriod, start: Date): boolean {
  return start.getTime() >= period.start.getTime() && start.getTime() < period.end.getTime();
}

/** The period's override rule for `obligation` at `level`, if any. */
export function periodOverride(period: SpecialPeriod, obligation: ObligationId, level: EventLevel | undefined): DueRule | undefined {
  const o = period.overrides?.[obligation];
  if (o === undefined) return undefined;
  if (isRule(o)) return o;
  return level === undefined ? undefined : o[level];
}

function isRule(o: PeriodOverride): o is DueRule {
  return typeof (o as { kind?: unknown }).kind === 'string';
}

/** A special period as written in configuration: instants as ISO 8601 strings with offset. */
export interface SpecialPeriodConfig extends Omit<SpecialPeriodSpec, 'start' | 'end'> {
  readonly start: string;
  readonly end: string;
}

/** Reads a special period from configuration (instants must carry an offset), then checks it like `defineSpecialPeriod`. */
export function specialPeriodFromConfig(config: SpecialPeriodConfig): SpecialPeriod {
  return defineSpecialPeriod({
    ...config,
    start: parseInstant(config.start, `special period ${config.id}: start`),
    end: parseInstant(config.end, `special period ${config.id}: end`),
  });
}
