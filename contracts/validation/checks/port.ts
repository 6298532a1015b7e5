import { describe, fail, pass, type ScalarCheck } from './check';

/** A TCP/UDP port: an integer 1–65535. */
export const checkPort: ScalarCheck = (v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535 ? pass(v) : fail(typeof v === 'number' ? 'contract.port' : 'contract.type', `must be a port number 1–65535, got ${describe(v)}`);
