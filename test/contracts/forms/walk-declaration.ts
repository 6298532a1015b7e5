import type { Field, FieldType, ObjectType } from '../../../contracts/model/field-types';

/** One declared field with its path, e.g. `samples[].md5`. */
export interface DeclaredField {
  readonly path: string;
  readonly name: string;
  readonly field: Field;
}

/** Every field declared under `type`, depth first, with its path. */
export function declaredFields(type: FieldType, prefix = ''): DeclaredField[] {
  if (type.kind === 'array') return declaredFields(type.of, `${prefix}[]`);
  if (type.kind !== 'object') return [];
  return Object.entries(type.fields).flatMap(([name, field]) => {
    const path = prefix === '' ? name : `${prefix}.${name}`;
    return [{ path, name, field }, ...declaredFields(field.type, path)];
  });
}

/** Every object type under `type` (itself included), with its path. */
export function declaredObjects(type: FieldType, prefix = ''): { path: string; object: ObjectType }[] {
  if (type.kind === 'array') return declaredObjects(type.of, `${prefix}[]`);
  if (type.kind !== 'object') return [];
  const nested = Object.entries(type.fields).flatMap(([name, f]) => declaredObjects(f.type, prefix === '' ? name : `${prefix}.${name}`));
  return [{ path: prefix, object: type }, ...nested];
}

/**
 * Problems with the SHAPE of `value` against `type`: missing required fields, undeclared fields,
 * a list where an object is expected and so on. Not the domain checks, which belong to validation.
 */
export function shapeProblems(type: FieldType, value: unknown, path: string): string[] {
  if (type.kind === 'array') {
    if (!Array.isArray(value)) return [`${path}: expected a list`];
    const problems: string[] = [];
    if (type.minItems !== undefined && value.length < type.minItems) problems.push(`${path}: fewer than ${type.minItems} items`);
    if (type.maxItems !== undefined && value.length > type.maxItems) problems.push(`${path}: more than ${type.maxItems} items`);
    return [...problems, ...value.flatMap((v, i) => shapeProblems(type.of, v, `${path}[${i}]`))];
  }
  if (type.kind === 'object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: expected an object`];
    const record = value as Record<string, unknown>;
    const unknown = Object.keys(record).filter((k) => !(k in type.fields)).map((k) => `${path}.${k}: not declared`);
    const fields = Object.entries(type.fields).flatMap(([name, f]) =>
      record[name] === undefined ? (f.required ? [`${path}.${name}: required`] : []) : shapeProblems(f.type, record[name], `${path}.${name}`),
    );
    const rules = (type.rules ?? []).flatMap((rule) => {
      const triggered = rule.when.some((w) => {
        const v = record[w];
        return v !== undefined && !(Array.isArray(v) && v.length === 0);
      });
      return triggered && record[rule.field] === undefined ? [`${path}.${rule.field}: ${rule.rule} (${rule.source})`] : [];
    });
    return [...unknown, ...fields, ...rules];
  }
  switch (type.kind) {
    case 'integer':
    case 'port':
      return Number.isInteger(value) ? [] : [`${path}: expected an integer`];
    case 'decimal':
      return typeof value === 'number' ? [] : [`${path}: expected a number`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: expected true or false`];
    case 'enum':
      return typeof value === 'string' && type.values.includes(value) ? [] : [`${path}: not one of ${type.values.join(', ')}`];
    case 'string':
      if (typeof value !== 'string') return [`${path}: expected text`];
      if (type.pattern !== undefined && !new RegExp(type.pattern, 'u').test(value)) return [`${path}: does not match ${type.pattern}`];
      if (type.maxLength !== undefined && [...value].length > type.maxLength) return [`${path}: longer than ${type.maxLength}`];
      return [];
    default:
      return typeof value === 'string' ? [] : [`${path}: expected text`];
  }
}
