/**
 * One year of the PRC working-day schedule, as published by the General Office of the State
 * Council (usually in November of the year before). This is also the JSON format of the
 * files in `data/` and of the files an administrator supplies for further years.
 */
export interface CalendarYear {
  /** The year, e.g. 2024. */
  readonly year: number;
  /** Where the data comes from (the notice, or the package it was generated from). */
  readonly source?: string;
  /** Public holidays: days off, including the weekend days inside a holiday period. */
  readonly holidays: readonly CalendarDay[];
  /** Adjusted working days (调休): Saturdays or Sundays that are worked. */
  readonly workdays: readonly CalendarDay[];
}

/** One dated entry of a year's schedule. */
export interface CalendarDay {
  /** `YYYY-MM-DD`, in the year of the file. */
  readonly date: string;
  /** The holiday's Chinese name, e.g. 春节. For a working day: the holiday it makes up for. */
  readonly name: string;
  /** The English name, e.g. Spring Festival. */
  readonly nameEn?: string;
}
