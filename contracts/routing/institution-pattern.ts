import { isInstitution } from '../validation/checks/institution';

const KINDS = ['ca-*', 'op-*', 'dr-*', 'rr-*'] as const;

/** Whether `pattern` is an institution pattern: `*`, a kind such as `op-*`, or an exact institution code. */
export function isInstitutionPattern(pattern: string): boolean {
  return pattern === '*' || (KINDS as readonly string[]).includes(pattern) || isInstitution(pattern);
}

/** Whether the institution `code` matches `pattern`. */
export function matchesPattern(code: string, pattern: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('-*')) return code.startsWith(pattern.slice(0, -1)) && code.length > pattern.length - 1;
  return code === pattern;
}

/** Whether `code` matches any of `patterns`. */
export function matchesAny(code: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => matchesPattern(code, p));
}
