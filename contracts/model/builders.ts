import type { ArrayType, CrossRule, Field, FieldType, ObjectType, ScalarType, Source } from './field-types';

/** Labels of a field: the form's Chinese label first, then English. */
type Labels = readonly [label: string, labelEn: string];

function field(type: FieldType, required: boolean, [label, labelEn]: Labels, source?: Source): Field {
  return source === undefined ? { type, required, label, labelEn } : { type, required, label, labelEn, source };
}

/** A required field. */
export function req(type: FieldType, labels: Labels, source?: Source): Field {
  return field(type, true, labels, source);
}

/** An optional field. */
export function opt(type: FieldType, labels: Labels, source?: Source): Field {
  return field(type, false, labels, source);
}

export function obj(fields: Record<string, Field>, rules?: readonly CrossRule[]): ObjectType {
  return rules === undefined ? { kind: 'object', fields } : { kind: 'object', fields, rules };
}

export function arr(of: FieldType, item: string, bounds: { minItems?: number; maxItems?: number } = {}): ArrayType {
  return { kind: 'array', of, item, ...bounds };
}

/** Free text; `maxLength` bounds it (default 2,000 characters, 200 for single-line text). */
export function text(maxLength = 200, options: { multiline?: boolean; minLength?: number } = {}): ScalarType {
  return { kind: 'string', minLength: options.minLength ?? 1, maxLength, ...(options.multiline ? { multiline: true } : {}) };
}

export function longText(maxLength = 4000): ScalarType {
  return text(maxLength, { multiline: true });
}

export function pattern(regex: string, hint: string, maxLength = 64): ScalarType {
  return { kind: 'string', minLength: 1, maxLength, pattern: regex, patternHint: hint };
}

export function int(minimum = 0, maximum?: number): ScalarType {
  return maximum === undefined ? { kind: 'integer', minimum } : { kind: 'integer', minimum, maximum };
}

export function decimal(minimum = 0, fractionDigits = 2): ScalarType {
  return { kind: 'decimal', minimum, fractionDigits };
}

export function oneOf(values: readonly string[], labels?: Record<string, string>): ScalarType {
  return labels === undefined ? { kind: 'enum', values } : { kind: 'enum', values, labels };
}

export const bool: ScalarType = { kind: 'boolean' };
export const datetime: ScalarType = { kind: 'datetime' };
export const date: ScalarType = { kind: 'date' };
export const month: ScalarType = { kind: 'month' };
export const md5: ScalarType = { kind: 'md5' };
export const sha256: ScalarType = { kind: 'sha256' };
export const malwareName: ScalarType = { kind: 'malware-name' };
export const ip: ScalarType = { kind: 'ip' };
export const port: ScalarType = { kind: 'port' };
export const domain: ScalarType = { kind: 'domain' };
export const url: ScalarType = { kind: 'url' };
export const province: ScalarType = { kind: 'province' };
export const institution: ScalarType = { kind: 'institution' };
export const email: ScalarType = { kind: 'email' };
export const phone: ScalarType = { kind: 'phone' };
export const messageId: ScalarType = { kind: 'message-id' };
