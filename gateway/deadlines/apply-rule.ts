import type { DueRule } from '../../contracts/obligations/due-rule';
import { beijingDateOf, endOfBeijingDay, isoDate, parseIsoDate } from '../calendar/beijing-time';
import type { WorkingCalendar } from '../calendar/working-calendar';

const HOUR_MS = 60 * 60 * 1000;

/** The due instant of one concrete rule, with where the clock started and whether it is provisional. */
export interface RuleOutcome {
  readonly clockStart: Date;
  /** null when the rule sets no deadline. */
  readonly due: Date | null;
  readonly provisional: boolean;
  readonly missingYears: readonly number[];
}

/**
 * Applies `rule` to a clock that starts at `start`. Working days are counted on Beijing dates
 * with `calendar`; everything else is exact instant arithmetic. `same-as` must be resolved
 * before this is called.
 */
export function applyRule(rule: DueRule, start: Date, calendar: WorkingCalendar): RuleOutcome {
  const exact = (due: Date | null, clockStart = start): RuleOutcome => ({ clockStart, due, provisional: false, missingYears: [] });
  switch (rule.kind) {
    case 'hours':
      return exact(new Date(start.getTime() + Math.round(rule.hours * HOUR_MS)));
    case 'calendar-days':
      return exact(new Date(start.getTime() + rule.days * 24 * HOUR_MS));
    case 'working-days': {
      const day = calendar.nthWorkingDayAfter(beijingDateOf(start), rule.days);
      return { clockStart: start, due: endOfBeijingDay(day.value), provisional: day.provisional, missingYears: day.missingYears };
    }
    case 'monthly': {
      const { year, month } = parseIsoDate(beijingDateOf(start));
      const monthEnd = endOfBeijingDay(isoDate(year, month + 1, 0));
      return exact(endOfBeijingDay(isoDate(year, month + 1, rule.dayOfNextMonth)), monthEnd);
    }
    case 'none':
      return exact(null);
    case 'same-as':
      throw new Error(`applyRule: unresolved same-as rule (${rule.obligation})`);
  }
}
