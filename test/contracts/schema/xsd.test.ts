import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeXml } from '../../../contracts/codec';
import { envelopeFields } from '../../../contracts/envelope';
import { repositoryRoot } from '../../../contracts/schema/generate';
import { generateXsd } from '../../../contracts/schema/xsd';
import { eachForm, exampleOf, requiredSites } from '../support';

const xsdPath = join(repositoryRoot(__dirname), 'contracts/schema/mmgw-message.xsd');
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;

/** Runs `xmllint --schema` on documents; returns the names it refused. */
function refused(docs: Record<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'mmgw-xsd-'));
  const paths = Object.entries(docs).map(([name, xml]) => {
    const p = join(dir, `${name}.xml`);
    writeFileSync(p, xml);
    return p;
  });
  const r = spawnSync('xmllint', ['--noout', '--schema', xsdPath, ...paths], { encoding: 'utf8' });
  return [...r.stderr.matchAll(/^(\S+)\.xml fails to validate$/gm)].map((m) => (m[1] ?? '').slice(dir.length + 1));
}

describe('the published XSD', () => {
  it('carries the Chinese labels as xs:documentation', () => {
    const xsd = generateXsd();
    for (const [, form] of eachForm) {
      expect(xsd).toContain(`<xs:documentation xml:lang="zh">${form.title}</xs:documentation>`);
      for (const f of Object.values(form.body.fields)) expect(xsd).toContain(`<xs:documentation xml:lang="zh">${f.label}</xs:documentation>`);
    }
  });

  if (!hasXmllint) {
    if (process.env.CI === 'true') throw new Error('xmllint is missing in CI: .ci/setup-contracts.sh must install libxml2-utils');
    it('cannot be checked with xmllint here', () => {
      console.warn('\n\n*** xmllint NOT FOUND: the XSD was NOT checked against the examples. Run `bash .ci/setup-contracts.sh` (Debian libxml2-utils). ***\n\n');
      expect(hasXmllint).toBe(false);
    });
    return;
  }

  it('accepts every example, signed or not, and refuses each with a required element removed (xmllint --schema)', () => {
    const good: Record<string, string> = {};
    const bad: Record<string, string> = {};
    for (const [name, form] of eachForm) {
      good[name] = encodeXml(exampleOf(form), { pretty: true });
      good[`${name}-signed`] = encodeXml(exampleOf(form)).replace('</Message>', '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo/></ds:Signature></Message>');
      const count = requiredSites(exampleOf(form), envelopeFields).length + requiredSites(exampleOf(form).body, form.body, 'body').length;
      for (let i = 0; i < count; i += 1) {
        const doc = exampleOf(form);
        const site = [...requiredSites(doc, envelopeFields), ...requiredSites(doc.body, form.body, 'body')][i];
        site?.remove();
        if (site?.path === 'type' || site?.path === 'body') continue; // the XML writer needs them to write the body
        bad[`${name}-without-${(site?.path ?? '').replace(/[^A-Za-z0-9]+/g, '_')}`] = encodeXml(doc);
      }
      bad[`${name}-unknown-element`] = encodeXml(exampleOf(form)).replace('</body>', '<extra/></body>');
    }
    expect(refused(good)).toEqual([]);
    expect(refused(bad).sort()).toEqual(Object.keys(bad).sort());
  });
});
