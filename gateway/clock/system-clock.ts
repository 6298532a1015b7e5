import type { Clock } from './clock';

/** The real clock of the machine; the composition root and the CLI use it. */
export const systemClock: Clock = {
  now: () => new Date(),
};
