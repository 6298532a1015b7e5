import { GatewayError } from '../../contracts/errors/gateway-error';
import { isEventLevel, levelRank, type EventLevel } from '../../contracts/obligations/event-levels';
import type { GradingFigures } from './figures';
import { gradeEvent, type Grading } from './grade';
import { DEFAULT_THRESHOLD_VERSIONS, type ThresholdVersion } from './thresholds';

/** The outcome of comparing a reported level with what the figures require. */
export interface UnderGrading {
  /** True when the reported level is less serious than the figures require. */
  readonly underGraded: boolean;
  readonly reported: EventLevel;
  readonly required: EventLevel;
  readonly grading: Grading;
}

/**
 * Detects a report graded lower than its own figures require (Art. 8, Art. 19 瞒报/谎报).
 * Grading higher is allowed (a human may weigh "social impact") and is not flagged.
 */
export function detectUnderGrading(reportedLevel: EventLevel | string, figures: GradingFigures, at: Date, versions: readonly ThresholdVersion[] = DEFAULT_THRESHOLD_VERSIONS): UnderGrading {
  if (!isEventLevel(reportedLevel)) {
    throw new GatewayError('grading.invalid-level', `level: "${reportedLevel}" is not an event level of Art. 8; valid choices: I, II, III, IV`, { field: 'level', value: reportedLevel, article: 'Art. 8' });
  }
  const grading = gradeEvent(figures, at, versions);
  return { underGraded: levelRank(reportedLevel) < levelRank(grading.level), reported: reportedLevel, required: grading.level, grading };
}
