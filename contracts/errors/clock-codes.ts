import { defineCodes } from './code-info';

/** Instants given to the clocks (issue 2): every time carries an explicit offset. */
export const instantCodes = defineCodes('clock', {
  'clock.invalid-instant': { description: 'The value is not a valid ISO 8601 date and time.', http: 400, exit: 2 },
  'clock.instant-without-offset': { description: 'The time has no time-zone offset (Z or ±hh:mm), so it would be read in the process time zone.', http: 400, exit: 2 },
});

/** The PRC working-day calendar (weekends, public holidays, adjusted working days 调休). */
export const calendarCodes = defineCodes('calendar', {
  'calendar.missing-year': { description: 'The working-day calendar has no data for the year asked for; an administrator must supply the State Council schedule.', http: 404, exit: 1 },
  'calendar.bad-file': { description: 'A calendar file supplied by an administrator cannot be read or does not follow the calendar year format.', http: 500, exit: 2 },
  'calendar.bad-dir': { description: 'The calendar directory (MMGW_CALENDAR_DIR) cannot be read.', http: 500, exit: 2 },
  'calendar.invalid-date': { description: 'The value is not a calendar date YYYY-MM-DD or not a valid year.', http: 400, exit: 2 },
});

/** Event grading of Art. 8. */
export const gradingCodes = defineCodes('grading', {
  'grading.invalid-figure': { description: 'A grading figure (loss in yuan, infected numbers within 24 h) is missing, negative or not a number.', http: 400, exit: 2 },
  'grading.no-thresholds': { description: 'No version of the Art. 8 thresholds was in force at the time asked for.', http: 400, exit: 1 },
  'grading.bad-thresholds': { description: 'The configured Art. 8 threshold versions are inconsistent.', http: 500, exit: 2 },
  'grading.invalid-level': { description: 'The value is not an event level of Art. 8 (I, II, III or IV).', http: 400, exit: 2 },
});

/** Deadlines of the obligations of rules.md. */
export const deadlineCodes = defineCodes('deadline', {
  'deadline.unknown-obligation': { description: 'The obligation id is not one of those declared in contracts/obligations.', http: 400, exit: 2 },
  'deadline.level-required': { description: 'The obligation\'s deadline depends on the event level (Art. 8), and no level was given.', http: 400, exit: 2 },
  'deadline.not-configurable': { description: 'The obligation\'s deadline is fixed by the mechanism and cannot be configured.', http: 500, exit: 2 },
  'deadline.bad-rule': { description: 'A deadline rule is malformed (unknown kind, or a count that is not a positive number).', http: 500, exit: 2 },
});

/** Art. 16 special periods (major national events) with stricter limits. */
export const specialPeriodCodes = defineCodes('special-period', {
  'special-period.ends-before-start': { description: 'A special period (Art. 16) must end after it starts.', http: 400, exit: 2 },
  'special-period.not-stricter': { description: 'A special period (Art. 16) may only shorten deadlines: its hour factor must be more than 0 and at most 1.', http: 400, exit: 2 },
});

/** Every code of the clocks: instants, calendar, grading, deadlines, special periods. */
export const clockCodes = { ...instantCodes, ...calendarCodes, ...gradingCodes, ...deadlineCodes, ...specialPeriodCodes };
