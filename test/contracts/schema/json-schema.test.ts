import Ajv2020 from 'ajv/dist/2020';
import { envelopeFields } from '../../../contracts/envelope';
import { generateJsonSchema } from '../../../contracts/schema/json-schema';
import { eachForm, exampleOf, requiredSites, walkScalars } from '../support';

// ajv, the standard JSON Schema validator, in strict mode: the schema must compile without
// warnings-turned-errors, accept every example and refuse broken documents.
const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, validateFormats: false });
const schema = generateJsonSchema();
const check = ajv.compile(schema);

describe('the published JSON Schema (draft 2020-12)', () => {
  it('declares its dialect and carries the Chinese labels', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const text = JSON.stringify(schema);
    for (const [, form] of eachForm) {
      expect(text).toContain(JSON.stringify(form.title));
      for (const f of Object.values(form.body.fields)) expect(text).toContain(JSON.stringify(f.label));
    }
  });

  it.each(eachForm)('accepts the %s example', (_name, form) => {
    expect(check(exampleOf(form))).toBe(true);
    expect(check.errors ?? null).toBeNull();
  });

  it.each(eachForm)('%s: refuses the example without any one of its required fields', (_name, form) => {
    const count = requiredSites(exampleOf(form), envelopeFields).length + requiredSites(exampleOf(form).body, form.body, 'body').length;
    for (let i = 0; i < count; i += 1) {
      const doc = exampleOf(form);
      const site = [...requiredSites(doc, envelopeFields), ...requiredSites(doc.body, form.body, 'body')][i];
      site?.remove();
      if (check(doc)) throw new Error(`the JSON Schema accepts ${form.name} without ${site?.path}`);
    }
  });

  it.each(eachForm)('%s: refuses an unknown field, a bad digest or datetime, a wrong type', (_name, form) => {
    const unknown = exampleOf(form);
    (unknown.body as Record<string, unknown>).notDeclared = 'x';
    expect(check(unknown)).toBe(false);
    expect(check({ ...exampleOf(form), sentAt: '2026-11-29T10:00:00' })).toBe(false);
    expect(check({ ...exampleOf(form), type: 'NoSuchForm' })).toBe(false);
    expect(check({ ...exampleOf(form), version: '2.0' })).toBe(false);
    const broken = exampleOf(form);
    let changed = 0;
    walkScalars(broken.body, form.body, 'body', (kind, _v, _p, set) => {
      if (kind === 'md5' || kind === 'datetime' || kind === 'integer' || kind === 'institution') {
        set(kind === 'integer' ? 'many' : 'not valid');
        changed += 1;
      }
    });
    if (changed > 0) expect(check(broken)).toBe(false);
  });
});
