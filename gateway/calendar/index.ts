export * from './beijing-time';
export type { CalendarDay, CalendarYear } from './calendar-year';
export { parseCalendarYear } from './parse-calendar-year';
export { WorkingCalendar, type CalendarComputation, type DayKind, type DayStatus } from './working-calendar';
export { builtInYears, BUILT_IN_FIRST_YEAR, BUILT_IN_LAST_YEAR } from './built-in-years';
export { CALENDAR_DIR_ENV, calendarFromEnvironment, loadCalendar, loadCalendarDir, loadCalendarFile, type CalendarSources } from './load-calendar';
