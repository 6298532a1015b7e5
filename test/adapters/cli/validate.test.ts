import { join } from 'node:path';
import { encodeJson, encodeXml } from '../../../contracts/codec';
import { forms } from '../../../contracts/forms';
import { repositoryRoot } from '../../../contracts/schema/generate';
import { runCli } from '../../support/capture-io';
import { tempFiles } from './cli-files';

const example = forms[0]?.example as unknown as Record<string, unknown>;
const root = repositoryRoot(__dirname);

describe('mmgw validate', () => {
  it('exits 0 on valid XML and JSON, told apart by content whatever the file name', async () => {
    const f = tempFiles({ 'a.txt': encodeXml(example), 'b.xml': encodeJson(example) });
    const r = await runCli('validate', f['a.txt'] ?? '', f['b.xml'] ?? '');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${f['a.txt']}: valid ${String(example.type)} (xml)`);
    expect(r.stdout).toContain(`${f['b.xml']}: valid ${String(example.type)} (json)`);
  });

  it('validates every published example', async () => {
    const files = forms.flatMap((form) => ['json', 'xml'].map((ext) => join(root, 'contracts/examples', `${form.name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}.${ext}`)));
    const r = await runCli('validate', ...files);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(files.length);
  });

  it('exits 1 and prints FILE: path: message with the code for each error, of every file', async () => {
    const bad = { ...example, sentAt: '2026-11-29T10:00:00', from: 'ca-99' };
    const f = tempFiles({ 'bad.json': encodeJson(bad), 'good.xml': encodeXml(example), 'broken.xml': '<Message xmlns="urn:mmgw:message:1"><id>' });
    const r = await runCli('validate', f['bad.json'] ?? '', f['good.xml'] ?? '', f['broken.xml'] ?? '');
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toContain(`${f['good.xml']}: valid ${String(example.type)} (xml)`);
    expect(lines.find((l) => l.startsWith(`${f['bad.json']}: from: `))).toMatch(/institution code.*\[contract\.institution\]/);
    expect(lines.find((l) => l.startsWith(`${f['bad.json']}: sentAt: `))).toMatch(/no offset.*\[contract\.datetime-offset\]/);
    expect(lines.find((l) => l.startsWith(`${f['broken.xml']}: (document): `))).toMatch(/\[contract\.malformed-xml\]/);
  });

  it('exits 2 when a file cannot be read, after checking the others', async () => {
    const f = tempFiles({ 'good.json': encodeJson(example) });
    const r = await runCli('validate', '/nonexistent/message.xml', f['good.json'] ?? '');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^\/nonexistent\/message\.xml: cannot be read: .*ENOENT.*\[usage\.file-unreadable\]/);
    expect(r.stdout).toContain('valid');
  });

  it('says a signed document is signed, without verifying it', async () => {
    const xml = encodeXml(example).replace('</Message>', '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/></Message>');
    const f = tempFiles({ 'signed.xml': xml });
    const r = await runCli('validate', f['signed.xml'] ?? '');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/signed \(xml-dsig, not verified here: use mmgw verify\)/);
  });

  it('has --help', async () => {
    const r = await runCli('validate', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: mmgw validate \[options\] <files\.\.\.>/);
  });
});
