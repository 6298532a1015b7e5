import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES_DIR, GENERATE_COMMAND, generatedFiles, kebab, repositoryRoot } from '../../../contracts/schema/generate';
import { forms } from '../../../contracts/forms';
import { validateInput } from '../../../contracts/validation';

const root = repositoryRoot(__dirname);
const files = generatedFiles();

describe('published schemas and examples are up to date', () => {
  it.each([...files.keys()].map((p) => [p]))('%s', (path) => {
    const full = join(root, path);
    const onDisk = existsSync(full) ? readFileSync(full, 'utf8') : undefined;
    if (onDisk !== files.get(path)) {
      throw new Error(`${path} is ${onDisk === undefined ? 'missing' : 'stale'}: the declarations in contracts/ changed. Regenerate with \`${GENERATE_COMMAND}\` and commit the result.`);
    }
  });

  it(`${EXAMPLES_DIR} holds nothing but the generated examples`, () => {
    const extra = readdirSync(join(root, EXAMPLES_DIR)).filter((n) => !files.has(`${EXAMPLES_DIR}/${n}`));
    expect(extra).toEqual([]);
  });

  it('there is one example per form in each format', () => {
    for (const f of forms) {
      expect(files.has(`${EXAMPLES_DIR}/${kebab(f.name)}.json`)).toBe(true);
      expect(files.has(`${EXAMPLES_DIR}/${kebab(f.name)}.xml`)).toBe(true);
    }
    expect(kebab('IncidentReportBatch')).toBe('incident-report-batch');
  });
});

describe('every published example validates', () => {
  const examples = [...files.keys()].filter((p) => p.startsWith(EXAMPLES_DIR));
  it.each(examples.map((p) => [p]))('%s', (path) => {
    const r = validateInput(readFileSync(join(root, path)));
    expect(r.errors).toEqual([]);
    expect(r.format).toBe(path.endsWith('.xml') ? 'xml' : 'json');
  });
});
