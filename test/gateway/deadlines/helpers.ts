import { builtInYears } from '../../../gateway/calendar/built-in-years';
import { formatBeijing } from '../../../gateway/calendar/beijing-time';
import { WorkingCalendar } from '../../../gateway/calendar/working-calendar';
import { computeDue, type DeadlineContext, type DueResult } from '../../../gateway/deadlines/compute-due';

/** The built-in calendar 2012–2026. */
export const calendar = new WorkingCalendar(builtInYears());

/** Computes and returns the due instant in Beijing time ('none' when there is no deadline). */
export function due(obligation: string, start: string, level?: string, context: Partial<DeadlineContext> = {}): string {
  const r = result(obligation, start, level, context);
  return r.due === null ? 'none' : formatBeijing(r.due);
}

/** The whole result. */
export function result(obligation: string, start: string, level?: string, context: Partial<DeadlineContext> = {}): DueResult {
  return computeDue({ obligation, start: new Date(start), ...(level !== undefined ? { level } : {}) }, { calendar, ...context });
}
