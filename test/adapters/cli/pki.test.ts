import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { createCsr } from '../../../gateway/signing/csr';
import { DEMO_INSTITUTIONS } from '../../../gateway/signing/institution';
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
});
