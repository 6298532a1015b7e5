/**
 * What one stable error code means and how every adapter reports it: the single outcome table
 * (style.md, "One outcome table"). Each area declares its codes in its own file beside this one;
 * `registry.ts` merges them, and a test checks the merged table.
 */
export interface CodeInfo {
  /** A human sentence saying what went wrong, in English. */
  readonly description: string;
  /** HTTP status an API answer carries. */
  readonly http: number;
  /** Exit code of the `mmgw` CLI. 1 = the input is invalid or refused, 2 = bad usage, 3 = a needed service failed. */
  readonly exit: number;
}

/** Declares one area's codes; the keys must start with `${area}.`. */
export function defineCodes<K extends string>(area: string, codes: Record<K, CodeInfo>): Record<K, CodeInfo> {
  for (const key of Object.keys(codes)) {
    if (!key.startsWith(`${area}.`)) throw new Error(`error code ${key} is not in its area ${area}.`);
  }
  return codes;
}
