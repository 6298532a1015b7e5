import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from '../../../contracts/codec';
import { forms } from '../../../contracts/forms';
import { kebab, repositoryRoot } from '../../../contracts/schema/generate';
import { validate } from '../../../contracts/validation';
import { runCli } from '../../support/capture-io';

const root = repositoryRoot(__dirname);

describe('mmgw example', () => {
  it.each(forms.map((f) => [f.name]))('%s prints the published example in both formats', async (name) => {
    for (const format of ['xml', 'json'] as const) {
      const r = await runCli('example', name, '--format', format);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(readFileSync(join(root, 'contracts/examples', `${kebab(name)}.${format}`), 'utf8'));
      const d = decode(r.stdout);
      expect(d.format).toBe(format);
      expect(validate(d.document).errors).toEqual([]);
    }
  });

  it('prints JSON by default and accepts the kebab-case name', async () => {
    const r = await runCli('example', 'sample-report');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ type: 'SampleReport' });
  });

  it('exits 2 on an unknown form, listing the valid forms', async () => {
    const r = await runCli('example', 'NoSuchForm');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown form "NoSuchForm"');
    for (const f of forms) expect(r.stderr).toContain(f.name);
  });

  it('exits 2 on an unknown format', async () => {
    const r = await runCli('example', 'SampleReport', '--format', 'yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Allowed choices are xml, json/);
  });
});
