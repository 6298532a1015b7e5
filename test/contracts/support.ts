import type { MessageDocument } from '../../contracts/codec';
import { forms } from '../../contracts/forms';
import type { FieldType, FormDeclaration } from '../../contracts/model/field-types';

/** A deep copy of a form's example as a plain, mutable document. */
export function exampleOf(form: FormDeclaration): MessageDocument {
  return JSON.parse(JSON.stringify(form.example)) as MessageDocument;
}

/** Every form with its name, for it.each. */
export const eachForm: [string, FormDeclaration][] = forms.map((f) => [f.name, f]);

/** Calls `visit` for each value of `doc` declared with a scalar kind, with its path and a setter. */
export function walkScalars(
  value: unknown,
  type: FieldType,
  path: string,
  visit: (kind: string, value: unknown, path: string, set: (v: unknown) => void) => void,
  set: (v: unknown) => void = () => undefined,
): void {
  if (type.kind === 'object') {
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    for (const [name, field] of Object.entries(type.fields)) {
      if (record[name] !== undefined) walkScalars(record[name], field.type, path === '' ? name : `${path}.${name}`, visit, (v) => (record[name] = v));
    }
  } else if (type.kind === 'array') {
    if (!Array.isArray(value)) return;
    value.forEach((v, i) => walkScalars(v, type.of, `${path}[${i}]`, visit, (nv) => (value[i] = nv)));
  } else {
    visit(type.kind, value, path, set);
  }
}

/** A place in a document where a required field can be removed: the object holding it and the field's path. */
export interface RequiredSite {
  readonly path: string;
  remove(): void;
}

/** Every required field present in `doc` (declared by `type`), walking objects and list items. */
export function requiredSites(doc: unknown, type: FieldType, path = ''): RequiredSite[] {
  const sites: RequiredSite[] = [];
  if (type.kind === 'object' && typeof doc === 'object' && doc !== null) {
    const record = doc as Record<string, unknown>;
    for (const [name, field] of Object.entries(type.fields)) {
      if (record[name] === undefined) continue;
      const p = path === '' ? name : `${path}.${name}`;
      if (field.required) sites.push({ path: p, remove: () => delete record[name] });
      sites.push(...requiredSites(record[name], field.type, p));
    }
  } else if (type.kind === 'array' && Array.isArray(doc)) {
    doc.forEach((item, i) => sites.push(...requiredSites(item, type.of, `${path}[${i}]`)));
  }
  return sites;
}
