/**
 * Exact non-negative decimals for money: a yuan amount is kept as digits, never as a binary
 * float, so 1,000,000.01 stays more than 1,000,000 and thresholds compare exactly.
 */
export interface Decimal {
  /** Integer part, without leading zeros. */
  readonly int: bigint;
  /** Fraction digits, without trailing zeros ('' for an integer). */
  readonly frac: string;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** Parses a non-negative decimal string such as `1000000.01`; undefined when it is not one. */
export function parseDecimal(text: string): Decimal | undefined {
  const m = DECIMAL.exec(text.trim());
  if (!m) return undefined;
  return { int: BigInt(m[1]), frac: (m[2] ?? '').replace(/0+$/, '') };
}

/** The exact decimal digits of a finite non-negative JS number (no exponent notation). */
export function numberToDecimalText(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}

/** Compares two decimals: negative, zero or positive as `a` is less than, equal to or more than `b`. */
export function compareDecimal(a: Decimal, b: Decimal): number {
  if (a.int !== b.int) return a.int < b.int ? -1 : 1;
  const width = Math.max(a.frac.length, b.frac.length);
  const fa = a.frac.padEnd(width, '0');
  const fb = b.frac.padEnd(width, '0');
  return fa === fb ? 0 : fa < fb ? -1 : 1;
}

/** Formats a decimal back to text, e.g. `1000000.01`. */
export function formatDecimal(d: Decimal): string {
  return d.frac === '' ? d.int.toString() : `${d.int.toString()}.${d.frac}`;
}
