import { describe, fail, pass, type ScalarCheck } from './check';

function bounds(v: number, minimum: number | undefined, maximum: number | undefined) {
  if (minimum !== undefined && v < minimum) return fail('contract.minimum', `must be at least ${minimum}, got ${v}`);
  if (maximum !== undefined && v > maximum) return fail('contract.maximum', `must be at most ${maximum}, got ${v}`);
  return pass(v);
}

/** Decimal places of a finite number as JSON writes it. */
function fractionDigits(v: number): number {
  const plain = String(v);
  const s = /e/i.test(plain) ? v.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 }) : plain;
  const dot = s.indexOf('.');
  return dot === -1 ? 0 : s.length - dot - 1;
}

/** An integer within its declared bounds. */
export const checkInteger: ScalarCheck = (v, type) => {
  if (type.kind !== 'integer') throw new Error(`checkInteger called for ${type.kind}`);
  if (typeof v !== 'number' || !Number.isInteger(v)) return fail('contract.type', `must be a whole number, got ${describe(v)}`);
  return bounds(v, type.minimum, type.maximum);
};

/** A decimal number within its bounds and declared decimal places. */
export const checkDecimal: ScalarCheck = (v, type) => {
  if (type.kind !== 'decimal') throw new Error(`checkDecimal called for ${type.kind}`);
  if (typeof v !== 'number' || !Number.isFinite(v)) return fail('contract.type', `must be a number, got ${describe(v)}`);
  if (type.fractionDigits !== undefined && fractionDigits(v) > type.fractionDigits) {
    return fail('contract.fraction-digits', `must have at most ${type.fractionDigits} decimal places, got ${v}`);
  }
  return bounds(v, type.minimum, undefined);
};

/** true or false. */
export const checkBoolean: ScalarCheck = (v) => (typeof v === 'boolean' ? pass(v) : fail('contract.type', `must be true or false, got ${describe(v)}`));
