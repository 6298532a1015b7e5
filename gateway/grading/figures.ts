import { GatewayError } from '../../contracts/errors/gateway-error';
import { numberToDecimalText, parseDecimal, type Decimal } from './decimal';

/** The two figures of Art. 8, as a report or a command line gives them. */
export interface GradingFigures {
  /** Cumulative communication-fee loss of users, in yuan (fractions allowed, e.g. 1000000.01 or "1000000.01"). */
  readonly lossYuan: number | string;
  /** Phone numbers infected within 24 h: a non-negative integer. */
  readonly infected24h: number | string;
}

/** The figures checked and made exact. */
export interface ExactFigures {
  readonly lossYuan: Decimal;
  readonly infected24h: bigint;
}

const ART8 = 'Art. 8';

/** Reads a loss in yuan; `label` names the field or option in the error (`grading.invalid-figure`). */
export function parseLossYuan(value: unknown, label = 'lossYuan'): Decimal {
  let text: string | undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) text = numberToDecimalText(value);
  else if (typeof value === 'string') text = value.trim();
  const d = text === undefined ? undefined : parseDecimal(text);
  if (d === undefined) {
    throw new GatewayError('grading.invalid-figure', `${label}: ${describe(value)} is not a loss in yuan; give a non-negative number such as 1000000 or 1000000.01`, { field: label, value, article: ART8 });
  }
  return d;
}

/** Reads a count of infected phone numbers within 24 h (`grading.invalid-figure` when not a non-negative integer). */
export function parseInfectedCount(value: unknown, label = 'infected24h'): bigint {
  let text: string | undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) text = String(value);
  else if (typeof value === 'string' && /^\d+$/.test(value.trim())) text = value.trim();
  if (text === undefined) {
    throw new GatewayError('grading.invalid-figure', `${label}: ${describe(value)} is not a number of infected phone numbers; give a whole number, 0 or more`, { field: label, value, article: ART8 });
  }
  return BigInt(text);
}

/** Checks both figures; throws `grading.invalid-figure` naming the first bad one. */
export function parseFigures(figures: GradingFigures): ExactFigures {
  return { lossYuan: parseLossYuan(figures.lossYuan), infected24h: parseInfectedCount(figures.infected24h) };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (missing)';
  if (typeof value === 'string') {
    if (value.trim() === '') return 'an empty value';
    return Number(value) < 0 ? `"${value}" (negative)` : `"${value}"`;
  }
  if (typeof value === 'number' && value < 0) return `${value} (negative)`;
  return JSON.stringify(value) ?? String(value);
}
