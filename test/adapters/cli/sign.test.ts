import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initPkiDirectory } from '../../../gateway/signing/pki-directory';
import { TrustStore } from '../../../gateway/signing/trust-store';
import { verifyDocument } from '../../../gateway/signing/documents';
import { runCli } from '../../support/capture-io';
import { messageJson, messageXml } from '../../gateway/signing/fixtures';

describe('mmgw sign', () => {
  let dir: string;
  let trust: TrustStore;
  const saved = process.env.MMGW_KEY_PASSPHRASE;
  const key = (code: string, pki = 'pki'): string => join(dir, pki, 'institutions', `${code}.key.pem`);
  const cert = (code: string, pki = 'pki'): string => join(dir, pki, 'institutions', `${code}.cert.pem`);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mmgw-sign-'));
    process.env.MMGW_KEY_PASSPHRASE = 'pw';
    initPkiDirectory(join(dir, 'pki'), { now: new Date('2026-11-28T00:00:00Z'), passphrase: 'pw', keyType: 'ec', institutions: ['op-cmcc', 'op-cucc'] });
    initPkiDirectory(join(dir, 'rsa'), { now: new Date('2026-11-28T00:00:00Z'), passphrase: 'pw', keyType: 'rsa', institutions: ['op-cmcc'] });
    trust = new TrustStore([readFileSync(join(dir, 'pki', 'ca.cert.pem')), readFileSync(join(dir, 'rsa', 'ca.cert.pem'))]);
    writeFileSync(join(dir, 'msg.xml'), messageXml());
    writeFileSync(join(dir, 'msg.json'), messageJson());
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env.MMGW_KEY_PASSPHRASE;
    else process.env.MMGW_KEY_PASSPHRASE = saved;
  });

  it('signs XML with an enveloped XML-DSig, to stdout or --out', async () => {
    const r = await runCli('sign', join(dir, 'msg.xml'), '--key', key('op-cmcc'), '--cert', cert('op-cmcc'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('<ds:Signature');
    expect(await verifyDocument(r.stdout.trimEnd(), { trust })).toEqual(expect.objectContaining({ ok: true, format: 'xml', institution: 'op-cmcc' }));
    const out = await runCli('sign', join(dir, 'msg.xml'), '--key', key('op-cmcc'), '--cert', cert('op-cmcc'), '--out', join(dir, 'signed.xml'));
    expect(out.code).toBe(0);
    expect(out.stdout).toBe('');
    expect(await verifyDocument(readFileSync(join(dir, 'signed.xml')), { trust })).toEqual(expect.objectContaining({ ok: true }));
  });

  it('signs JSON as a flattened JWS (ES256 for EC keys, RS256 or --alg PS256 for RSA)', async () => {
    for (const [pki, alg, expected] of [['pki', undefined, 'ES256'], ['rsa', undefined, 'RS256'], ['rsa', 'PS256', 'PS256']] as const) {
      const args = ['sign', join(dir, 'msg.json'), '--key', key('op-cmcc', pki), '--cert', cert('op-cmcc', pki), ...(alg ? ['--alg', alg] : [])];
      const r = await runCli(...args);
      expect(r.code).toBe(0);
      const jws = JSON.parse(r.stdout) as Record<string, string>;
      expect(Object.keys(jws).sort()).toEqual(['payload', 'protected', 'signature']);
      expect(await verifyDocument(r.stdout, { trust })).toEqual(expect.objectContaining({ ok: true, format: 'jws', algorithm: expected }));
    }
  });

  it('refuses a key that is not the certificate\'s, an encrypted key without the passphrase, a bad --alg, a missing file', async () => {
    const mismatch = await runCli('sign', join(dir, 'msg.xml'), '--key', key('op-cucc'), '--cert', cert('op-cmcc'));
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain('[pki.key-mismatch]');
    delete process.env.MMGW_KEY_PASSPHRASE;
    try {
      const r = await runCli('sign', join(dir, 'msg.xml'), '--key', key('op-cmcc'), '--cert', cert('op-cmcc'));
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('[pki.passphrase-missing]');
    } finally {
      process.env.MMGW_KEY_PASSPHRASE = 'pw';
    }
    process.env.MMGW_KEY_PASSPHRASE = 'wrong';
    try {
      expect((await runCli('sign', join(dir, 'msg.xml'), '--key', key('op-cmcc'), '--cert', cert('op-cmcc'))).stderr).toContain('[pki.key-unreadable]');
    } finally {
      process.env.MMGW_KEY_PASSPHRASE = 'pw';
    }
    const alg = await runCli('sign', join(dir, 'msg.json'), '--key', key('op-cmcc'), '--cert', cert('op-cmcc'), '--alg', 'HS256');
    expect(alg.code).toBe(2);
    expect(alg.stderr).toContain('[usage.unknown-choice]');
    const es = await runCli('sign', join(dir, 'msg.json'), '--key', key('op-cmcc'), '--cert', cert('op-cmcc'), '--alg', 'PS256');
    expect(es.stderr).toContain('[signature.unsupported-algorithm]');
    const missing = await runCli('sign', join(dir, 'nope.xml'), '--key', key('op-cmcc'), '--cert', cert('op-cmcc'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('[usage.file-unreadable]');
  });

  it('refuses a document that is neither XML nor JSON, or already signed', async () => {
    writeFileSync(join(dir, 'plain.txt'), 'hello');
    const r = await runCli('sign', join(dir, 'plain.txt'), '--key', key('op-cmcc'), '--cert', cert('op-cmcc'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[signature.unknown-format]');
    await runCli('sign', join(dir, 'msg.xml'), '--key', key('op-cmcc'), '--cert', cert('op-cmcc'), '--out', join(dir, 'twice.xml'));
    const twice = await runCli('sign', join(dir, 'twice.xml'), '--key', key('op-cmcc'), '--cert', cert('op-cmcc'));
    expect(twice.stderr).toContain('[signature.multiple]');
  });

  it('warns on stderr when the signing certificate expires within 30 days', async () => {
    const soon = new Date(Date.now() - 810 * 86_400_000);
    initPkiDirectory(join(dir, 'old'), { now: soon, passphrase: 'pw', keyType: 'ec', institutions: ['op-cmcc'] });
    const r = await runCli('sign', join(dir, 'msg.xml'), '--key', key('op-cmcc', 'old'), '--cert', cert('op-cmcc', 'old'));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: certificate op-cmcc .* expires on .* in 1\d day/);
  });
});
