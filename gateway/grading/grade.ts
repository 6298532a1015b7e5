import type { EventLevel } from '../../contracts/obligations/event-levels';
import { compareDecimal, formatDecimal, parseDecimal } from './decimal';
import { parseFigures, type GradingFigures } from './figures';
import { DEFAULT_THRESHOLD_VERSIONS, thresholdsInForce, type ThresholdVersion } from './thresholds';

/** A threshold an event's figure exceeded. */
export interface Exceeded {
  readonly level: 'I' | 'II' | 'III';
  readonly figure: 'lossYuan' | 'infected24h';
  readonly value: string;
  readonly over: string;
}

/** The level the figures require, and why. */
export interface Grading {
  readonly level: EventLevel;
  /** The threshold version applied (the one in force at the discovery time). */
  readonly thresholdVersion: number;
  /** The thresholds of `level` that were exceeded (empty for IV). */
  readonly reasons: readonly Exceeded[];
}

/**
 * Grades an event by Art. 8: the most serious level whose loss OR infected-number threshold
 * the figures exceed strictly ("超过"), by the thresholds in force at `discoveredAt`.
 * Throws `grading.invalid-figure` for a missing, negative or non-numeric figure.
 */
export function gradeEvent(figures: GradingFigures, discoveredAt: Date, versions: readonly ThresholdVersion[] = DEFAULT_THRESHOLD_VERSIONS): Grading {
  const exact = parseFigures(figures);
  const t = thresholdsInForce(discoveredAt, versions);
  for (const level of ['I', 'II', 'III'] as const) {
    const reasons: Exceeded[] = [];
    const lossOver = parseDecimal(t[level].lossYuanOver);
    if (lossOver && compareDecimal(exact.lossYuan, lossOver) > 0) reasons.push({ level, figure: 'lossYuan', value: formatDecimal(exact.lossYuan), over: t[level].lossYuanOver });
    if (exact.infected24h > BigInt(t[level].infected24hOver)) reasons.push({ level, figure: 'infected24h', value: exact.infected24h.toString(), over: String(t[level].infected24hOver) });
    if (reasons.length > 0) return { level, thresholdVersion: t.version, reasons };
  }
  return { level: 'IV', thresholdVersion: t.version, reasons: [] };
}
