export { compareDecimal, formatDecimal, parseDecimal, type Decimal } from './decimal';
export { parseFigures, parseInfectedCount, parseLossYuan, type ExactFigures, type GradingFigures } from './figures';
export { checkThresholdVersions, DEFAULT_THRESHOLD_VERSIONS, THRESHOLDS_2012, thresholdsInForce, type LevelThreshold, type ThresholdVersion } from './thresholds';
export { gradeEvent, type Exceeded, type Grading } from './grade';
export { detectUnderGrading, type UnderGrading } from './detect-under-grading';
