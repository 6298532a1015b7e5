export type { Clock } from './clock';
export { systemClock } from './system-clock';
export { TestClock } from './test-clock';
export { parseInstant } from './parse-instant';
