import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Credential } from '../../../gateway/signing/credential';
import { TrustStore } from '../../../gateway/signing/trust-store';
import { signXml } from '../../../gateway/signing/xml-dsig-sign';
import { verifyXml } from '../../../gateway/signing/xml-dsig-verify';
import { DSIG } from '../../../gateway/signing/xml-dsig-algorithms';
import { messageXml, testPki, type TestPki } from './fixtures';
import { toolAvailable } from './interop-tools';

// Done-when of issue 3: documents signed by mmgw verify with `xmlsec1 --verify`, and documents
// signed by xmlsec1 verify with mmgw. Needs Debian's xmlsec1 (.ci/setup-signing.sh).
const available = toolAvailable('xmlsec1', ['xmlsec1', '--version']);

(available ? describe : describe.skip)('XML-DSig interop with xmlsec1', () => {
  let pki: TestPki;
  let dir: string;
  let trust: TrustStore;
  beforeAll(() => {
    pki = testPki();
    dir = mkdtempSync(join(tmpdir(), 'mmgw-xmlsec-'));
    writeFileSync(join(dir, 'ca.pem'), pki.ca.certificate.toString());
    trust = new TrustStore([pki.ca.certificate]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const xmlsecVerify = (xml: string): { status: number | null; output: string } => {
    const file = join(dir, `v-${Math.random().toString(36).slice(2)}.xml`);
    writeFileSync(file, xml);
    // Validity at the document's sentAt (2026-11-29T10:00+08:00), as mmgw checks it, not at the wall clock.
    const r = spawnSync('xmlsec1', ['--verify', '--verification-time', '2026-11-29 02:00:00', '--trusted-pem', join(dir, 'ca.pem'), file], { encoding: 'utf8' });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  };

  it.each(['rsa', 'ec'] as const)('xmlsec1 verifies what mmgw signs (%s), and refuses it once tampered', (type) => {
    const signed = signXml(messageXml(), pki.cred('op-cmcc', type));
    const ok = xmlsecVerify(signed);
    expect([ok.status, ok.output]).toEqual([0, expect.stringContaining('OK')]);
    const bad = xmlsecVerify(signed.replace('<sampleCount>3<', '<sampleCount>4<'));
    expect(bad.status).not.toBe(0);
  });

  const template = (prefix: 'ds' | '', sigAlg: string): string => {
    const p = prefix ? 'ds:' : '';
    const ns = prefix ? `xmlns:ds="${DSIG.ns}"` : `xmlns="${DSIG.ns}"`;
    return (
      `<${p}Signature ${ns}><${p}SignedInfo><${p}CanonicalizationMethod Algorithm="${DSIG.excC14n}"/><${p}SignatureMethod Algorithm="${sigAlg}"/>` +
      `<${p}Reference URI=""><${p}Transforms><${p}Transform Algorithm="${DSIG.enveloped}"/><${p}Transform Algorithm="${DSIG.excC14n}"/></${p}Transforms>` +
      `<${p}DigestMethod Algorithm="${DSIG.sha256}"/><${p}DigestValue/></${p}Reference></${p}SignedInfo><${p}SignatureValue/>` +
      `<${p}KeyInfo><${p}X509Data/></${p}KeyInfo></${p}Signature>`
    );
  };

  const xmlsecSign = (cred: Credential, prefix: 'ds' | ''): string => {
    const ec = cred.privateKey.asymmetricKeyType === 'ec';
    const name = `s-${Math.random().toString(36).slice(2)}`;
    writeFileSync(join(dir, `${name}.key.pem`), cred.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(join(dir, `${name}.cert.pem`), cred.certificate.toString());
    writeFileSync(join(dir, `${name}.xml`), messageXml().replace('</Message>', `${template(prefix, ec ? DSIG.ecdsaSha256 : DSIG.rsaSha256)}</Message>`));
    execFileSync('xmlsec1', ['--sign', '--privkey-pem', `${join(dir, `${name}.key.pem`)},${join(dir, `${name}.cert.pem`)}`, '--output', join(dir, `${name}.signed.xml`), join(dir, `${name}.xml`)], { stdio: 'pipe' });
    return readFileSync(join(dir, `${name}.signed.xml`), 'utf8');
  };

  it.each([
    ['rsa', 'ds'],
    ['ec', 'ds'],
    ['rsa', ''],
    ['ec', ''],
  ] as const)('mmgw verifies what xmlsec1 signs (%s, prefix "%s"), and refuses it once tampered', (type, prefix) => {
    const signed = xmlsecSign(pki.cred('op-cmcc', type), prefix);
    expect(signed).toContain('SignatureValue>');
    expect(verifyXml(signed, { trust })).toEqual(expect.objectContaining({ ok: true, institution: 'op-cmcc' }));
    const tampered = verifyXml(signed.replace('<sampleCount>3<', '<sampleCount>4<'), { trust });
    expect(tampered.ok ? 'ok' : tampered.code).toBe('signature.tampered');
  });
});
