import { GatewayError } from '../../contracts/errors/gateway-error';
import { compareDecimal, parseDecimal } from './decimal';

/** The figures an event must exceed (strictly, "超过") to be graded at a level. */
export interface LevelThreshold {
  /** Loss in yuan, as an exact decimal string. */
  readonly lossYuanOver: string;
  /** Infected phone numbers within 24 h. */
  readonly infected24hOver: number;
}

/**
 * One version of the Art. 8 thresholds. Art. 8 lets MIIT revise them, so they are versioned
 * configuration with an effective date; a report is graded by the version in force at its
 * discovery time. Level IV is "otherwise".
 */
export interface ThresholdVersion {
  readonly version: number;
  /** ISO 8601 instant with offset from which this version applies. */
  readonly effectiveFrom: string;
  /** Where the figures come from. */
  readonly source: string;
  readonly I: LevelThreshold;
  readonly II: LevelThreshold;
  readonly III: LevelThreshold;
}

/** Version 1: the mechanism as issued, in force since 2012-01-01 (rules.md, "Event levels"). */
export const THRESHOLDS_2012: ThresholdVersion = {
  version: 1,
  effectiveFrom: '2012-01-01T00:00:00+08:00',
  source: '移动互联网恶意程序监测与处置机制, Art. 8 (in force since 2012-01-01)',
  I: { lossYuanOver: '10000000', infected24hOver: 100000 },
  II: { lossYuanOver: '5000000', infected24hOver: 50000 },
  III: { lossYuanOver: '1000000', infected24hOver: 10000 },
};

/** The threshold versions the gateway uses unless configured otherwise. */
export const DEFAULT_THRESHOLD_VERSIONS: readonly ThresholdVersion[] = [THRESHOLDS_2012];

/**
 * Checks a list of threshold versions: distinct increasing version numbers and effective dates,
 * exact decimal losses, integer counts, and I > II > III for both figures. Every problem is
 * reported in one `grading.bad-thresholds` error. Returns the list sorted by effective date.
 */
export function checkThresholdVersions(versions: readonly ThresholdVersion[]): ThresholdVersion[] {
  const problems: string[] = [];
  if (versions.length === 0) problems.push('at least one version is needed');
  const sorted = [...versions].sort((a, b) => Date.parse(a.effectiveFrom) - Date.parse(b.effectiveFrom));
  sorted.forEach((v, i) => {
    const where = `version ${v.version}`;
    if (!/(Z|[+-]\d{2}:\d{2})$/i.test(v.effectiveFrom) || Number.isNaN(Date.parse(v.effectiveFrom))) problems.push(`${where}: effectiveFrom "${v.effectiveFrom}" must be an ISO 8601 instant with offset`);
    if (i > 0 && v.version <= sorted[i - 1].version) problems.push(`${where}: version numbers must increase with the effective date`);
    if (i > 0 && v.effectiveFrom === sorted[i - 1].effectiveFrom) problems.push(`${where}: same effective date as version ${sorted[i - 1].version}`);
    for (const level of ['I', 'II', 'III'] as const) {
      const t = v[level];
      if (parseDecimal(t.lossYuanOver) === undefined) problems.push(`${where}.${level}.lossYuanOver: "${t.lossYuanOver}" is not a non-negative decimal`);
      if (!Number.isSafeInteger(t.infected24hOver) || t.infected24hOver < 0) problems.push(`${where}.${level}.infected24hOver: must be a non-negative integer`);
    }
    const loss = (l: 'I' | 'II' | 'III') => parseDecimal(v[l].lossYuanOver);
    const [lI, lII, lIII] = [loss('I'), loss('II'), loss('III')];
    if (lI && lII && lIII && !(compareDecimal(lI, lII) > 0 && compareDecimal(lII, lIII) > 0)) problems.push(`${where}: loss thresholds must decrease from I to III`);
    if (!(v.I.infected24hOver > v.II.infected24hOver && v.II.infected24hOver > v.III.infected24hOver)) problems.push(`${where}: infected-number thresholds must decrease from I to III`);
  });
  if (problems.length > 0) throw new GatewayError('grading.bad-thresholds', `Art. 8 thresholds: ${problems.join('; ')}`, { problems, article: 'Art. 8' });
  return sorted;
}

// Lists already checked, so grading many reports does not re-check the same configuration.
const checked = new WeakMap<readonly ThresholdVersion[], ThresholdVersion[]>();

/** The version in force at `at`; throws `grading.no-thresholds` before the first one. */
export function thresholdsInForce(at: Date, versions: readonly ThresholdVersion[] = DEFAULT_THRESHOLD_VERSIONS): ThresholdVersion {
  let sorted = checked.get(versions);
  if (!sorted) {
    sorted = checkThresholdVersions(versions);
    checked.set(versions, sorted);
  }
  let found: ThresholdVersion | undefined;
  for (const v of sorted) if (Date.parse(v.effectiveFrom) <= at.getTime()) found = v;
  if (!found) {
    throw new GatewayError('grading.no-thresholds', `no Art. 8 thresholds were in force at ${at.toISOString()}; the first version applies from ${sorted[0].effectiveFrom}`, { at: at.toISOString(), article: 'Art. 8' });
  }
  return found;
}
