import type { FieldType, ObjectType } from '../model/field-types';

/** The values at a dotted body path, walking through lists: `samples.md5` → the MD5 of every row. */
export function valuesAt(body: unknown, path: string): unknown[] {
  let current: unknown[] = [body];
  for (const name of path.split('.')) {
    current = current
      .flatMap((v) => (Array.isArray(v) ? v : [v]))
      .flatMap((v) => (typeof v === 'object' && v !== null && Object.hasOwn(v, name) ? [(v as Record<string, unknown>)[name]] : []));
  }
  return current.flatMap((v) => (Array.isArray(v) ? v : [v]));
}

/** The declared type at a dotted body path (lists unwrapped to their items), or undefined when no such field is declared. */
export function declaredTypeAt(body: ObjectType, path: string): FieldType | undefined {
  let current: FieldType = body;
  for (const name of path.split('.')) {
    while (current.kind === 'array') current = current.of;
    if (current.kind !== 'object') return undefined;
    const field: ObjectType['fields'][string] | undefined = current.fields[name];
    if (field === undefined) return undefined;
    current = field.type;
  }
  while (current.kind === 'array') current = current.of;
  return current;
}
