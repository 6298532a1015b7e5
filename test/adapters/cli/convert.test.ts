import { decode, encodeJson, encodeXml } from '../../../contracts/codec';
import { forms } from '../../../contracts/forms';
import { runCli } from '../../support/capture-io';
import { tempFiles } from './cli-files';

describe('mmgw convert', () => {
  it.each(forms.map((f) => [f.name, f]))('%s: JSON → XML → JSON gives the same document', async (_name, form) => {
    const example = form.example as unknown as Record<string, unknown>;
    const f = tempFiles({ 'in.json': encodeJson(example) });
    const toXml = await runCli('convert', f['in.json'] ?? '', '--to', 'xml');
    expect(toXml.code).toBe(0);
    expect(decode(toXml.stdout).format).toBe('xml');
    const g = tempFiles({ 'in.xml': toXml.stdout });
    const back = await runCli('convert', g['in.xml'] ?? '', '--to', 'json');
    expect(back.code).toBe(0);
    expect(JSON.parse(back.stdout)).toEqual(example);
  });

  it('prints the normalised document', async () => {
    const example = forms.find((f) => f.name === 'SampleReport')?.example as unknown as Record<string, unknown>;
    const xml = encodeXml(example).replace('9e107d9d372bb6826bd81d3542a419d6', '9E107D9D372BB6826BD81D3542A419D6');
    const f = tempFiles({ 'upper.xml': xml });
    const r = await runCli('convert', f['upper.xml'] ?? '', '--to', 'json');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"md5": "9e107d9d372bb6826bd81d3542a419d6"');
  });

  it('exits 1 with every error on invalid input, printing no document', async () => {
    const example = forms[0]?.example as unknown as Record<string, unknown>;
    const f = tempFiles({ 'bad.json': encodeJson({ ...example, version: '2.0', extra: 1 }) });
    const r = await runCli('convert', f['bad.json'] ?? '', '--to', 'xml');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${f['bad.json']}: version: `);
    expect(r.stderr).toContain('[contract.version]');
    expect(r.stderr).toContain(`${f['bad.json']}: extra: `);
    expect(r.stderr).toContain('[contract.unknown-field]');
  });

  it('exits 2 without --to, with a bad --to, or on an unreadable file', async () => {
    expect((await runCli('convert', 'x.json')).code).toBe(2);
    expect((await runCli('convert', 'x.json', '--to', 'yaml')).code).toBe(2);
    const r = await runCli('convert', '/nonexistent/x.json', '--to', 'xml');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot be read.*\[usage\.file-unreadable\]/);
  });
});
