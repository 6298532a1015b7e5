import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from '../../../contracts/schema/generate';
import { runCli } from '../../support/capture-io';
import { tempFiles } from './cli-files';

// README.md's contracts section must be true: each `$ npx mmgw …` line is run in-process and
// the lines printed under it must be the first lines of what the command prints.
const root = repositoryRoot(__dirname);
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const section = /<!-- contracts:begin[^>]*-->\n```sh\n([\s\S]*?)```\n<!-- contracts:end -->/.exec(readme)?.[1] ?? '';

interface Example {
  args: string[];
  expected: string[];
}

const examples: Example[] = [];
for (const line of section.split('\n')) {
  if (line.startsWith('$ npx mmgw ')) examples.push({ args: line.slice('$ npx mmgw '.length).split(' '), expected: [] });
  else if (line !== '') examples[examples.length - 1]?.expected.push(line);
}

describe('README.md, contracts section', () => {
  it('has examples', () => expect(examples.length).toBeGreaterThanOrEqual(4));

  it.each(examples.map((e) => [e.args.join(' '), e]))('mmgw %s', async (_line, e) => {
    // bad-sample-report.json: the published SampleReport example with a truncated MD5.
    const bad = readFileSync(join(root, 'contracts/examples/sample-report.json'), 'utf8').replace('"9e107d9d372bb6826bd81d3542a419d6"', '"9e107d9d"');
    const files = tempFiles({ 'bad-sample-report.json': bad });
    const args = e.args.map((a) => (a === 'bad-sample-report.json' ? files[a] ?? a : a.startsWith('contracts/') ? join(root, a) : a));
    const r = await runCli(...args);
    const printed = r.stdout.split('\n').map((l) => l.replace(files['bad-sample-report.json'] ?? '\0', 'bad-sample-report.json').replace(`${root}/`, ''));
    expect(printed.slice(0, e.expected.length)).toEqual(e.expected);
    expect(r.code).toBe(e.args[1] === 'bad-sample-report.json' ? 1 : 0);
  });
});
