import { envelopeFields } from '../../../contracts/envelope';
import { contractCodes } from '../../../contracts/errors/contract-codes';
import { encodeXml } from '../../../contracts/codec';
import { validate, validateInput } from '../../../contracts/validation';
import { eachForm, exampleOf, requiredSites } from '../support';

describe('validate: every example is valid', () => {
  it.each(eachForm)('%s', (_name, form) => {
    const r = validate(exampleOf(form));
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.value).toEqual(exampleOf(form));
  });
});

describe('removing any single required field yields exactly one precise error', () => {
  // Walk the declarations over the example: envelope fields, body fields, list items, nested objects.
  const cases = eachForm.flatMap(([name, form]) => {
    const count = requiredSites(exampleOf(form), envelopeFields).length + requiredSites(exampleOf(form).body, form.body, 'body').length;
    return Array.from({ length: count }, (_, i) => [name, i, form] as const);
  });

  it.each(cases)('%s, required field #%i', (_name, i, form) => {
    const doc = exampleOf(form);
    const sites = [...requiredSites(doc, envelopeFields), ...requiredSites(doc.body, form.body, 'body')];
    const site = sites[i];
    if (site === undefined) throw new Error('no such site');
    site.remove();
    const r = validate(doc);
    expect(r.ok).toBe(false);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ code: 'contract.required', path: site.path });
    expect(r.errors[0]?.message).toMatch(/is required$/);
    expect(r.errors[0]?.source).not.toBe('');
    // The same document written as XML and read back gives the same single error.
    const x = validateInput(encodeXml(doc));
    expect(x.errors.map((e) => [e.code, e.path])).toEqual([['contract.required', site.path]]);
  });

  it('covers the body too, not only the envelope', () => {
    expect(cases.length).toBeGreaterThan(eachForm.length * 6);
  });
});

describe('validate reports every error at once', () => {
  const form = eachForm.find(([n]) => n === 'SampleReport')?.[1];
  if (form === undefined) throw new Error('SampleReport is declared');

  it('with path, code, English + Chinese label and source', () => {
    const doc = exampleOf(form);
    const body = doc.body as Record<string, unknown>;
    const sample = (body.samples as Record<string, unknown>[])[0] ?? {};
    sample.md5 = 'not-a-digest';
    sample.proposedName = 'x.privacy.emial.d';
    sample.seq = '1';
    body.reporter = '';
    body.extra = 'x';
    doc.sentAt = '2026-11-29T10:00:00';
    const r = validate(doc);
    expect(r.ok).toBe(false);
    const byPath = Object.fromEntries(r.errors.map((e) => [e.path, e]));
    expect(Object.keys(byPath).sort()).toEqual(['body.extra', 'body.reporter', 'body.samples[0].md5', 'body.samples[0].proposedName', 'body.samples[0].seq', 'sentAt']);
    expect(byPath['body.samples[0].md5']).toMatchObject({ code: 'contract.md5', source: 'Annex 1' });
    expect(byPath['body.samples[0].md5']?.message).toMatch(/^MD5 \(MD5值\) must be 32 hexadecimal digits/);
    expect(byPath['body.samples[0].proposedName']).toMatchObject({ code: 'contract.malware-name', source: 'YD/T 2439-2012' });
    expect(byPath['body.samples[0].seq']).toMatchObject({ code: 'contract.type' });
    expect(byPath['body.reporter']).toMatchObject({ code: 'contract.too-short' });
    expect(byPath['body.reporter']?.message).toContain('填报人');
    expect(byPath['body.extra']).toMatchObject({ code: 'contract.unknown-field' });
    expect(byPath.sentAt).toMatchObject({ code: 'contract.datetime-offset' });
  });

  it('normalises the value: MD5 lower case, domains and URLs refanged', () => {
    const doc = exampleOf(form);
    const sample = ((doc.body as Record<string, unknown>).samples as Record<string, unknown>[])[0] ?? {};
    sample.md5 = '9E107D9D372BB6826BD81D3542A419D6';
    const r = validate(doc);
    expect(r.errors).toEqual([]);
    const out = ((r.value.body as Record<string, unknown>).samples as Record<string, unknown>[])[0];
    expect(out?.md5).toBe('9e107d9d372bb6826bd81d3542a419d6');
  });

  it('refuses an unknown form, an incompatible version, null and wrong container types', () => {
    const doc = exampleOf(form);
    expect(validate({ ...doc, type: 'NoSuchForm' }).errors.map((e) => [e.code, e.path])).toEqual([['contract.unknown-form', 'type']]);
    expect(validate({ ...doc, version: '2.0' }).errors.map((e) => [e.code, e.path])).toEqual([['contract.version', 'version']]);
    expect(validate({ ...doc, version: '1.3' }).ok).toBe(true);
    expect(validate({ ...doc, cc: null }).errors.map((e) => [e.code, e.path])).toEqual([['contract.type', 'cc']]);
    expect(validate({ ...doc, to: 'cncert' }).errors.map((e) => [e.code, e.path])).toEqual([['contract.type', 'to']]);
    expect(validate({ ...doc, to: [] }).errors.map((e) => [e.code, e.path])).toEqual([['contract.min-items', 'to']]);
    expect(validate({ ...doc, body: [] }).errors.map((e) => [e.code, e.path])).toEqual([['contract.type', 'body']]);
    expect(validate([]).errors.map((e) => e.code)).toEqual(['contract.root-element']);
  });

  it('uses only registered codes', () => {
    const doc = exampleOf(form);
    doc.from = 'ca-99';
    for (const e of validate(doc).errors) expect(Object.keys(contractCodes)).toContain(e.code);
  });
});
