import { forms, formByName, formNames } from '../../../contracts/forms';
import type { FormDeclaration } from '../../../contracts/model/field-types';
import { declaredFields, declaredObjects, shapeProblems } from './walk-declaration';
import { envelopeFields } from '../../../contracts/envelope';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

// Issue 2, item 2: every form and message of rules.md, declared once, each with its Chinese labels.
const expected = [
  'SampleReport', 'SampleIdentification', 'IncidentReport', 'IncidentReportBatch', 'IncidentNotice', 'DisposalFeedback',
  'VerificationResult', 'DomainDisposalRequest', 'DomainDisposalFeedback', 'MonthlyGeneralSummary', 'MonthlyDisposalFeedback',
  'ContactUpdate', 'EmergencyNotice', 'Receipt', 'Rejection', 'Acknowledgement',
];
const cjk = /\p{Script=Han}/u;
// Labels the annexes print without a Chinese character.
const latinLabels = new Set(['E-Mail']);
const byForm = forms.map((f) => [f.name, f] as [string, FormDeclaration]);

describe('the form registry', () => {
  it('declares exactly the forms of rules.md and issue 2, each once', () => {
    expect([...formNames].sort()).toEqual([...expected].sort());
    expect(new Set(formNames).size).toBe(formNames.length);
  });

  it('registers the one form of every file in contracts/forms, and each file declares at most one', () => {
    const dir = join(__dirname, '../../../contracts/forms');
    const declared = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .map((file) => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const exported = Object.values(require(join(dir, file)) as Record<string, unknown>);
        const found = exported.filter((v): v is FormDeclaration => typeof v === 'object' && v !== null && 'example' in v && 'body' in v);
        return { file, found };
      });
    expect(declared.filter((d) => d.found.length > 1).map((d) => d.file)).toEqual([]);
    const all = declared.flatMap((d) => d.found);
    expect(all.filter((f) => !forms.includes(f)).map((f) => f.name)).toEqual([]);
    expect(all.length).toBe(forms.length);
    // One form, one file, named for it: IncidentReportBatch lives in incident-report-batch.ts.
    for (const { file, found } of declared) {
      for (const f of found) expect(file).toBe(`${f.name.replace(/[A-Z]/g, (c, i: number) => (i === 0 ? '' : '-') + c.toLowerCase())}.ts`);
    }
  });

  it('finds each form by its name and nothing else', () => {
    for (const name of expected) expect(formByName(name)?.name).toBe(name);
    expect(formByName('incidentreport')).toBeUndefined();
  });

  it.each(byForm)('%s has a PascalCase name, a Chinese title, an English title and a source', (name, form) => {
    expect(name).toMatch(/^[A-Z][a-z]+(?:[A-Z][a-z]+)*$/);
    expect(form.title).toMatch(cjk);
    expect(form.titleEn.length).toBeGreaterThan(3);
    expect(form.source).toMatch(/^(Annex [1-5]|Art\. \d+(\(\d+\))*|mmgw)$/);
  });
});

describe.each(byForm)('%s declaration', (name, form) => {
  const fields = declaredFields(form.body);

  it('labels every field in Chinese (or as the annex prints it) and in English', () => {
    const unlabelled = fields.filter(({ field }) => !(cjk.test(field.label) || latinLabels.has(field.label)) || field.labelEn.trim() === '');
    expect(unlabelled.map((f) => f.path)).toEqual([]);
  });

  it('names fields and list items as camelCase XML names', () => {
    const bad = fields.filter((f) => !/^[a-z][A-Za-z0-9]*$/.test(f.name)).map((f) => f.path);
    expect(bad).toEqual([]);
    const items = fields.flatMap(({ path, field }) => (field.type.kind === 'array' ? [[path, field.type.item]] : []));
    expect(items.filter(([, item]) => !/^[a-z][A-Za-z0-9]*$/.test(item))).toEqual([]);
  });

  it('bounds every text and every list sensibly', () => {
    const problems = fields.flatMap(({ path, field }) => {
      const t = field.type;
      if (t.kind === 'string' && (t.maxLength === undefined || t.maxLength > 20000)) return [`${path}: unbounded text`];
      if (t.kind === 'array' && (t.maxItems === undefined || (t.minItems ?? 0) > t.maxItems)) return [`${path}: bad list bounds`];
      return [];
    });
    expect(problems).toEqual([]);
  });

  it('declares cross-field rules only over fields of the same object', () => {
    const problems = declaredObjects(form.body).flatMap(({ path, object }) =>
      (object.rules ?? []).flatMap((r) => [r.field, ...r.when].filter((f) => !(f in object.fields)).map((f) => `${path}: ${f}`)),
    );
    expect(problems).toEqual([]);
  });

  it('has an example whose type is the form name and whose shape matches the declaration', () => {
    const { body, ...envelope } = form.example;
    expect(envelope.type).toBe(name);
    expect(shapeProblems(envelopeFields, envelope, 'envelope')).toEqual([]);
    expect(shapeProblems(form.body, body, 'body')).toEqual([]);
  });

  it('writes example times with the Beijing offset', () => {
    const times = JSON.stringify(form.example).match(/"\d{4}-\d\d-\d\dT[^"]*"/g) ?? [];
    expect(times.length).toBeGreaterThan(0);
    expect(times.filter((t) => !t.endsWith('+08:00"'))).toEqual([]);
  });

  it('fills every optional top-level field of the body in its example', () => {
    const missing = Object.entries(form.body.fields).filter(([k]) => form.example.body[k] === undefined).map(([k]) => k);
    expect(missing).toEqual([]);
  });
});

describe('the shape check used above', () => {
  // The shape check must itself be able to fail, or the example tests above prove nothing.
  const form = formByName('DisposalFeedback')!;
  const body = form.example.body;

  it('reports a missing required field, an undeclared field and a broken cross rule', () => {
    const { reporter: _r, undisposedReason: _u, ...rest } = body;
    expect(shapeProblems(form.body, { ...rest, extra: 1 }, 'body')).toEqual([
      'body.extra: not declared',
      'body.reporter: required',
      'body.undisposedReason: required-when-any (Annex 5)',
    ]);
  });

  it('does not ask for a reason when the undisposed lists are empty or absent', () => {
    const { undisposedReason: _u, undisposedDistributionServers: _d, ...rest } = body;
    expect(shapeProblems(form.body, rest, 'body')).toEqual([]);
  });
});
