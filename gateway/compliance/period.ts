import { GatewayError } from '../../contracts/errors/gateway-error';

/** A calendar month of Beijing time (UTC+8) as the half-open interval of instants [start, end). */
export interface Period {
  /** `YYYY-MM`. */
  readonly month: string;
  readonly start: Date;
  readonly end: Date;
}

const BEIJING_OFFSET_MS = 8 * 3600_000;

/** Reads `YYYY-MM` into the Beijing-time month it names; `compliance.bad-period` otherwise. */
export function parsePeriod(text: string): Period {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text);
  if (m === null) {
    throw new GatewayError('compliance.bad-period', `period "${text}" is not a month written YYYY-MM (e.g. 2026-11)`, { field: 'period', value: text, article: 'Art. 19' });
  }
  const year = Number(m[1]);
  const month = Number(m[2]);
  return { month: text, start: new Date(Date.UTC(year, month - 1, 1) - BEIJING_OFFSET_MS), end: new Date(Date.UTC(year, month, 1) - BEIJING_OFFSET_MS) };
}

/** True when `at` lies inside the period. */
export function inPeriod(period: Period, at: Date): boolean {
  return at.getTime() >= period.start.getTime() && at.getTime() < period.end.getTime();
}
