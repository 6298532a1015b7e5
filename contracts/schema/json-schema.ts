import { CONTRACT_VERSION, envelopeFields, MESSAGE_NAMESPACE } from '../envelope';
import { forms } from '../forms';
import type { CrossRule, Field, FieldType, ObjectType, ScalarType } from '../model/field-types';
import { DEFAULT_VALIDATION_OPTIONS } from '../validation/options';
import { domainPatterns } from './patterns';

/** A JSON Schema object. */
export type JsonSchema = { [keyword: string]: unknown };

/** The JSON Schema dialect of the published schema. */
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

const patterns = domainPatterns(Object.keys(DEFAULT_VALIDATION_OPTIONS.malwareOs), Object.keys(DEFAULT_VALIDATION_OPTIONS.malwareAttributes));
const anchored = (p: string) => `^(${p})$`;
const text = (pattern: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'string', pattern: anchored(pattern), ...extra });

function scalarSchema(t: ScalarType): JsonSchema {
  switch (t.kind) {
    case 'string': {
      const s: JsonSchema = { type: 'string' };
      if (t.minLength !== undefined) s.minLength = t.minLength;
      if (t.maxLength !== undefined) s.maxLength = t.maxLength;
      if (t.pattern !== undefined) s.pattern = t.pattern;
      else if (!t.multiline) s.pattern = anchored(patterns.singleLine);
      return s;
    }
    case 'integer':
      return { type: 'integer', ...(t.minimum !== undefined ? { minimum: t.minimum } : {}), ...(t.maximum !== undefined ? { maximum: t.maximum } : {}) };
    case 'decimal':
      return { type: 'number', ...(t.minimum !== undefined ? { minimum: t.minimum } : {}), ...(t.fractionDigits !== undefined ? { $comment: `at most ${t.fractionDigits} decimal places` } : {}) };
    case 'boolean':
      return { type: 'boolean' };
    case 'enum':
      return { type: 'string', enum: [...t.values], ...(t.labels ? { $comment: t.values.map((v) => `${v} = ${t.labels?.[v] ?? v}`).join(', ') } : {}) };
    case 'datetime':
      return text(patterns.datetime, { format: 'date-time', $comment: 'ISO 8601 with an explicit offset, e.g. 2026-11-29T10:00:00+08:00' });
    case 'date':
      return text(patterns.date, { format: 'date' });
    case 'month':
      return text(patterns.month);
    case 'port':
      return { type: 'integer', minimum: 1, maximum: 65535 };
    case 'province':
      return { type: 'string', enum: patterns.province.split('|'), $comment: 'GB/T 2260' };
    case 'md5':
    case 'sha256':
    case 'malware-name':
    case 'ip':
    case 'domain':
    case 'url':
    case 'institution':
    case 'email':
    case 'phone':
    case 'message-id':
      return text(patterns[t.kind], t.kind === 'phone' ? { maxLength: 40 } : t.kind === 'email' ? { maxLength: 254 } : {});
  }
}

function nonEmpty(t: FieldType | undefined): JsonSchema {
  if (t?.kind === 'array') return { type: 'array', minItems: 1 };
  if (t?.kind === 'object') return { type: 'object', minProperties: 1 };
  if (t?.kind === 'string') return { type: 'string', minLength: 1 };
  return {};
}

function ruleSchema(rule: CrossRule, type: ObjectType): JsonSchema {
  return {
    $comment: `${rule.message} (${rule.source})`,
    if: { anyOf: rule.when.map((w) => ({ required: [w], properties: { [w]: nonEmpty(type.fields[w]?.type) } })) },
    then: { required: [rule.field] },
  };
}

function typeSchema(t: FieldType): JsonSchema {
  if (t.kind === 'array') {
    return { type: 'array', items: typeSchema(t.of), ...(t.minItems !== undefined ? { minItems: t.minItems } : {}), ...(t.maxItems !== undefined ? { maxItems: t.maxItems } : {}) };
  }
  if (t.kind === 'object') return objectSchema(t);
  return scalarSchema(t);
}

function fieldSchema(f: Field): JsonSchema {
  return { title: f.label, description: f.source ? `${f.labelEn} (${f.source})` : f.labelEn, ...typeSchema(f.type) };
}

function objectSchema(t: ObjectType, override: Record<string, JsonSchema> = {}): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [name, f] of Object.entries(t.fields)) properties[name] = { ...fieldSchema(f), ...override[name] };
  const required = Object.entries(t.fields).filter(([, f]) => f.required).map(([n]) => n);
  return {
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
    ...(t.rules && t.rules.length > 0 ? { allOf: t.rules.map((r) => ruleSchema(r, t)) } : {}),
  };
}

/** The JSON Schema (draft 2020-12) of every mmgw message, derived from the envelope and form declarations. */
export function generateJsonSchema(): JsonSchema {
  const major = DEFAULT_VALIDATION_OPTIONS.acceptedMajorVersions.join('|');
  const envelope = objectSchema(envelopeFields, {
    type: { enum: forms.map((f) => f.name) },
    version: { pattern: `^(${major})\\.[0-9]+$` },
  });
  const properties = envelope.properties as Record<string, JsonSchema>;
  properties.body = { title: '正文', description: 'the form named by type', type: 'object' };
  return {
    $schema: JSON_SCHEMA_DIALECT,
    $id: `${MESSAGE_NAMESPACE}:schema.json`,
    title: 'mmgw message',
    description: `A message of the MIIT mobile-malware monitoring and disposal mechanism, contract version ${CONTRACT_VERSION}: the envelope and the form named by type. Generated from contracts/ by \`npm run contracts:generate\`; do not edit.`,
    ...envelope,
    required: [...((envelope.required as string[] | undefined) ?? []), 'body'],
    allOf: forms.map((f) => ({
      if: { properties: { type: { const: f.name } }, required: ['type'] },
      then: { properties: { body: { $ref: `#/$defs/${f.name}` } } },
    })),
    $defs: Object.fromEntries(forms.map((f) => [f.name, { title: f.title, description: `${f.titleEn} (${f.source})`, ...objectSchema(f.body) }])),
  };
}
