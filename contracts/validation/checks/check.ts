import type { ContractCode } from '../../errors/contract-codes';
import type { ScalarType } from '../../model/field-types';
import type { ResolvedValidationOptions } from '../options';

/** The outcome of one scalar check: the normalised value, or the rule broken. */
export type CheckResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly code: ContractCode; readonly rule: string };

/** A check of one scalar kind. */
export type ScalarCheck = (value: unknown, type: ScalarType, options: ResolvedValidationOptions) => CheckResult;

/** A passed check with the normalised value. */
export const pass = (value: unknown): CheckResult => ({ ok: true, value });
/** A failed check: the code and the rule broken, in words. */
export const fail = (code: ContractCode, rule: string): CheckResult => ({ ok: false, code, rule });

/** A value quoted for a message, shortened. */
export function shown(value: unknown): string {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 60 ? `${s.slice(0, 57)}…"` : s;
}

/** The type error for a value that is not text. */
export function notText(value: unknown): CheckResult {
  return fail('contract.type', `must be text, got ${describe(value)}`);
}

/** What a JSON value is, in words. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `text ${shown(value)}`;
  return `${typeof value} ${shown(value)}`;
}

/** Runs `check` on text only. */
export function textCheck(check: (value: string, options: ResolvedValidationOptions) => CheckResult): ScalarCheck {
  return (value, _type, options) => (typeof value === 'string' ? check(value, options) : notText(value));
}
