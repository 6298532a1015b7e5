import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signatureCodes } from '../../../contracts/errors/signing-codes';
import { createCrl } from '../../../gateway/signing/crl';
import { credentialFromPem } from '../../../gateway/signing/credential';
import { signDocument } from '../../../gateway/signing/documents';
import { initPkiDirectory, loadCa } from '../../../gateway/signing/pki-directory';
import { runCli } from '../../support/capture-io';
import { messageJson, messageXml } from '../../gateway/signing/fixtures';

describe('mmgw verify', () => {
  let dir: string;
  const at = new Date('2026-11-28T00:00:00Z');
  const file = (name: string): string => join(dir, name);
  const cred = (code: string, pki = 'pki') =>
    credentialFromPem(readFileSync(join(dir, pki, 'institutions', `${code}.key.pem`)), readFileSync(join(dir, pki, 'institutions', `${code}.cert.pem`)), 'pw');
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mmgw-verify-'));
    initPkiDirectory(file('pki'), { now: at, passphrase: 'pw', keyType: 'ec', institutions: ['op-cmcc', 'op-cucc', 'op-ctcc'] });
    initPkiDirectory(file('other'), { now: at, passphrase: 'pw', keyType: 'ec', institutions: ['cncert'] });
    writeFileSync(file('ok.xml'), await signDocument(messageXml(), cred('op-cmcc')));
    writeFileSync(file('ok.json'), await signDocument(messageJson(), cred('op-cmcc')));
    writeFileSync(file('tampered.xml'), readFileSync(file('ok.xml'), 'utf8').replace('<sampleCount>3<', '<sampleCount>9<'));
    writeFileSync(file('mismatch.json'), await signDocument(messageJson({ from: 'op-cmcc' }), cred('op-cucc')));
    writeFileSync(file('revoked.xml'), await signDocument(messageXml({ from: 'op-ctcc' }), cred('op-ctcc')));
    writeFileSync(file('cncert.xml'), await signDocument(messageXml({ from: 'cncert' }), cred('cncert', 'other')));
    const ca = loadCa(file('pki'), 'pw');
    writeFileSync(file('ca.crl'), createCrl(ca, [{ serial: cred('op-ctcc').certificate.serialNumber, revokedAt: at }], at, new Date(at.getTime() + 30 * 864e5)));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const trust = (): string => file('pki/ca.cert.pem');

  it('exits 0 with the signer\'s institution code on the first line (XML and JWS)', async () => {
    for (const name of ['ok.xml', 'ok.json']) {
      const r = await runCli('verify', file(name), '--trust', trust());
      expect([name, r.code]).toEqual([name, 0]);
      const lines = r.stdout.split('\n');
      expect(lines[0]).toBe('op-cmcc');
      expect(r.stdout).toContain('signed at: 2026-11-29T02:00:00.000Z');
    }
  });

  it('exits 1 with the reason code on the first line and its sentence on the second', async () => {
    const cases: [string, string[], string][] = [
      ['tampered.xml', [], 'signature.tampered'],
      ['mismatch.json', [], 'signature.sender-mismatch'],
      ['revoked.xml', ['--crl', file('ca.crl')], 'signature.revoked'],
      ['cncert.xml', [], 'signature.untrusted-chain'],
    ];
    for (const [name, extra, reason] of cases) {
      const r = await runCli('verify', file(name), '--trust', trust(), ...extra);
      const [first, second] = r.stdout.split('\n');
      expect([name, r.code, first]).toEqual([name, 1, reason]);
      expect(second).toContain(signatureCodes[reason as keyof typeof signatureCodes].description);
    }
  });

  it('accepts several --trust files (several roots) and CRLs only from a trusted issuer', async () => {
    const r = await runCli('verify', file('cncert.xml'), '--trust', trust(), '--trust', file('other/ca.cert.pem'));
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('cncert');
    expect((await runCli('verify', file('revoked.xml'), '--trust', trust())).code).toBe(0);
    const foreignCrl = await runCli('verify', file('ok.xml'), '--trust', file('other/ca.cert.pem'), '--crl', file('ca.crl'));
    expect(foreignCrl.code).toBe(1);
    expect(foreignCrl.stderr).toContain('[pki.crl-invalid]');
  });

  it('exits 2 for a missing file or --trust', async () => {
    expect((await runCli('verify', file('none.xml'), '--trust', trust())).code).toBe(2);
    expect((await runCli('verify', file('ok.xml'))).code).toBe(2);
  });
});
