import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { createCsr } from '../../../gateway/signing/csr';
import { DEMO_INSTITUTIONS } from '../../../gateway/signing/institution';
import { createDevCa, issueInstitutionCredential } from '../../../gateway/signing/dev-pki';
import { generateKeyPair, readPrivateKey } from '../../../gateway/signing/keys';
import { runCli } from '../../support/capture-io';

describe('mmgw pki', () => {
  let dir: string;
  const saved = process.env.MMGW_KEY_PASSPHRASE;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mmgw-pki-'));
    process.env.MMGW_KEY_PASSPHRASE = 'test passphrase';
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env.MMGW_KEY_PASSPHRASE;
    else process.env.MMGW_KEY_PASSPHRASE = saved;
  });

  it('init creates a dev CA and an encrypted credential for every institution of the demo registry', async () => {
    const r = await runCli('pki', 'init', join(dir, 'demo'), '--key-type', 'ec', '--at', '2026-11-28T00:00:00Z');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${DEMO_INSTITUTIONS.length} institution credentials`);
    const ca = new X509Certificate(readFileSync(join(dir, 'demo', 'ca.cert.pem')));
    for (const code of DEMO_INSTITUTIONS) {
      const cert = new X509Certificate(readFileSync(join(dir, 'demo', 'institutions', `${code}.cert.pem`)));
      expect(cert.subject).toContain(`CN=${code}`);
      expect(cert.verify(ca.publicKey)).toBe(true);
      const keyPem = readFileSync(join(dir, 'demo', 'institutions', `${code}.key.pem`), 'utf8');
      expect(keyPem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    }
    expect(readFileSync(join(dir, 'demo', 'ca.key.pem'), 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect(() => readPrivateKey(readFileSync(join(dir, 'demo', 'ca.key.pem')), 'wrong')).toThrow();
  });

  it('init refuses to overwrite a CA, and needs MMGW_KEY_PASSPHRASE', async () => {
    const again = await runCli('pki', 'init', join(dir, 'demo'), '--key-type', 'ec');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('[pki.exists]');
    delete process.env.MMGW_KEY_PASSPHRASE;
    try {
      const r = await runCli('pki', 'init', join(dir, 'nopass'), '--institutions', 'miit');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('[pki.passphrase-missing]');
      expect(existsSync(join(dir, 'nopass', 'ca.key.pem'))).toBe(false);
    } finally {
      process.env.MMGW_KEY_PASSPHRASE = 'test passphrase';
    }
  });

  it('init makes RSA-2048 credentials by default', async () => {
    const r = await runCli('pki', 'init', join(dir, 'rsa'), '--institutions', 'op-cmcc');
    expect(r.code).toBe(0);
    const key = readPrivateKey(readFileSync(join(dir, 'rsa', 'institutions', 'op-cmcc.key.pem')), 'test passphrase');
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('issue certifies the key of a CSR for an institution, signed by the CA of --dir', async () => {
    const { privateKey, publicKey } = generateKeyPair('ec');
    writeFileSync(join(dir, 'rr.csr'), createCsr('rr-demo', privateKey, publicKey));
    const r = await runCli('pki', 'issue', '--institution', 'rr-demo', '--csr', join(dir, 'rr.csr'), '--dir', join(dir, 'demo'));
    expect(r.code).toBe(0);
    const cert = new X509Certificate(r.stdout);
    expect(cert.subject).toContain('CN=rr-demo');
    expect(cert.publicKey.export({ type: 'spki', format: 'der' })).toEqual(publicKey.export({ type: 'spki', format: 'der' }));
    expect(cert.verify(new X509Certificate(readFileSync(join(dir, 'demo', 'ca.cert.pem'))).publicKey)).toBe(true);

    const out = await runCli('pki', 'issue', '--institution', 'rr-demo', '--csr', join(dir, 'rr.csr'), '--dir', join(dir, 'demo'), '--out', join(dir, 'rr.pem'), '--days', '30');
    expect(out.code).toBe(0);
    const issued = new X509Certificate(readFileSync(join(dir, 'rr.pem')));
    expect(new Date(issued.validTo).getTime() - new Date(issued.validFrom).getTime()).toBe(30 * 86_400_000);
  });

  it('issue refuses a CSR for another institution, an unknown code, a broken CSR, a missing CA', async () => {
    const { privateKey, publicKey } = generateKeyPair('ec');
    writeFileSync(join(dir, 'cucc.csr'), createCsr('op-cucc', privateKey, publicKey));
    const other = await runCli('pki', 'issue', '--institution', 'op-cmcc', '--csr', join(dir, 'cucc.csr'), '--dir', join(dir, 'demo'));
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/CN=op-cucc.*op-cmcc.*\[pki\.csr-invalid\]/);
    writeFileSync(join(dir, 'bad.csr'), createCsr('ca-99', privateKey, publicKey));
    const unknown = await runCli('pki', 'issue', '--institution', 'ca-99', '--csr', join(dir, 'bad.csr'), '--dir', join(dir, 'demo'));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('[pki.unknown-institution]');
    writeFileSync(join(dir, 'junk.csr'), '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n');
    expect((await runCli('pki', 'issue', '--institution', 'op-cmcc', '--csr', join(dir, 'junk.csr'), '--dir', join(dir, 'demo'))).stderr).toContain('[pki.csr-invalid]');
    const noCa = await runCli('pki', 'issue', '--institution', 'op-cucc', '--csr', join(dir, 'cucc.csr'), '--dir', join(dir, 'nowhere'));
    expect(noCa.code).toBe(2);
    expect(noCa.stderr).toContain('mmgw pki init');
    expect((await runCli('pki', 'issue', '--institution', 'op-cucc', '--csr', join(dir, 'none.csr'), '--dir', join(dir, 'demo'))).code).toBe(2);
  });

  it('import stores a PKCS#12 or PEM credential for an institution, the key re-encrypted at rest', async () => {
    const ca = createDevCa({ now: new Date('2026-11-28T00:00:00Z') });
    const cred = issueInstitutionCredential(ca, 'dr-cnnic', { now: new Date('2026-11-28T00:00:00Z') });
    const forgeKey = forge.pki.privateKeyFromPem(cred.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string);
    const p12 = forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(forgeKey, [forge.pki.certificateFromPem(cred.certificate.toString())], 'p12 pw', { algorithm: '3des' })).getBytes();
    writeFileSync(join(dir, 'cnnic.p12'), Buffer.from(p12, 'binary'));
    process.env.MMGW_P12_PASSWORD = 'wrong';
    const bad = await runCli('pki', 'import', '--institution', 'dr-cnnic', '--p12', join(dir, 'cnnic.p12'), '--dir', join(dir, 'imported'));
    expect([bad.code, bad.stderr]).toEqual([1, expect.stringContaining('[pki.pkcs12-invalid]')]);
    process.env.MMGW_P12_PASSWORD = 'p12 pw';
    try {
      const other = await runCli('pki', 'import', '--institution', 'dr-other', '--p12', join(dir, 'cnnic.p12'), '--dir', join(dir, 'imported'));
      expect([other.code, other.stderr]).toEqual([1, expect.stringContaining('CN=dr-cnnic, not for dr-other')]);
      const r = await runCli('pki', 'import', '--institution', 'dr-cnnic', '--p12', join(dir, 'cnnic.p12'), '--dir', join(dir, 'imported'));
      expect(r.code).toBe(0);
    } finally {
      delete process.env.MMGW_P12_PASSWORD;
    }
    const keyPem = readFileSync(join(dir, 'imported', 'institutions', 'dr-cnnic.key.pem'), 'utf8');
    expect(keyPem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect(readPrivateKey(keyPem, 'test passphrase').export({ type: 'pkcs8', format: 'der' })).toEqual(cred.privateKey.export({ type: 'pkcs8', format: 'der' }));
    expect(new X509Certificate(readFileSync(join(dir, 'imported', 'institutions', 'dr-cnnic.cert.pem'))).fingerprint256).toBe(cred.certificate.fingerprint256);

    writeFileSync(join(dir, 'plain.key.pem'), cred.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(join(dir, 'plain.cert.pem'), cred.certificate.toString());
    const pem = await runCli('pki', 'import', '--institution', 'dr-cnnic', '--key', join(dir, 'plain.key.pem'), '--cert', join(dir, 'plain.cert.pem'), '--dir', join(dir, 'pem'));
    expect(pem.code).toBe(0);
    expect(readFileSync(join(dir, 'pem', 'institutions', 'dr-cnnic.key.pem'), 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect((await runCli('pki', 'import', '--institution', 'dr-cnnic', '--dir', join(dir, 'pem'))).code).toBe(2);
  });
});
