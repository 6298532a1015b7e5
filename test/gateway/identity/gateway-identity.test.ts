import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encode } from '../../../contracts/codec';
import { forms } from '../../../contracts/forms';
import { ensureGatewayIdentity, gatewayIdentityFromPem, GATEWAY_FILES, issueGatewayIdentity, loadGatewayIdentity, verifyGatewayDocument } from '../../../gateway/identity';
import { certificateFacts } from '../../../gateway/signing/certificates';
import { createDevCa, issueInstitutionCredential, type CertificateAuthority } from '../../../gateway/signing/dev-pki';
import { signDocument } from '../../../gateway/signing/documents';

describe('the gateway identity', () => {
  const now = new Date('2026-11-28T03:00:00Z');
  let ca: CertificateAuthority;
  let dir: string;
  beforeAll(() => {
    ca = createDevCa({ now, keyType: 'ec' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-identity-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const receipt = () => forms.find((f) => f.name === 'Receipt')!.example as unknown as Record<string, unknown>;

  it('is generated once by the dev CA, stored encrypted, and loaded again on the next start', () => {
    const first = ensureGatewayIdentity(dir, ca, { now, passphrase: 'pw-test' });
    expect(first.created).toBe(true);
    const facts = certificateFacts(first.identity.credential.certificate);
    expect(facts.commonName).toBe('mmgw');
    expect(facts.keyUsage?.has('digitalSignature')).toBe(true);
    const keyPem = fs.readFileSync(path.join(dir, GATEWAY_FILES.key), 'utf8');
    expect(keyPem).toContain('ENCRYPTED PRIVATE KEY');
    expect(fs.statSync(path.join(dir, GATEWAY_FILES.key)).mode & 0o077).toBe(0);
    const second = ensureGatewayIdentity(dir, ca, { now, passphrase: 'pw-test' });
    expect(second.created).toBe(false);
    expect(second.identity.credential.certificate.fingerprint256).toBe(first.identity.credential.certificate.fingerprint256);
    expect(() => loadGatewayIdentity({ keyFile: path.join(dir, GATEWAY_FILES.key), certFile: path.join(dir, GATEWAY_FILES.cert), passphrase: 'wrong' })).toThrow();
    expect(() => loadGatewayIdentity({ keyFile: path.join(dir, 'none.pem'), certFile: path.join(dir, GATEWAY_FILES.cert) })).toThrow(expect.objectContaining({ code: 'usage.file-unreadable' }));
  });

  it('refuses a credential that is not the gateway\'s (CN must be mmgw)', () => {
    const other = issueInstitutionCredential(ca, 'op-cmcc', { now, keyType: 'ec' });
    const keyPem = other.privateKey.export({ type: 'pkcs8', format: 'pem' });
    expect(() => gatewayIdentityFromPem(keyPem, other.certificate.toString())).toThrow(expect.objectContaining({ code: 'pki.unknown-institution' }));
  });

  it.each(['xml', 'json'] as const)('signs a Receipt as %s that verifies with its certificate only, and not once changed', async (format) => {
    const me = issueGatewayIdentity(ca, { now });
    const stranger = issueGatewayIdentity(ca, { now });
    const signed = Buffer.from(await signDocument(encode(receipt(), format), me.credential));
    const ok = await verifyGatewayDocument(signed, me.credential.certificate);
    expect(ok).toMatchObject({ ok: true, document: { type: 'Receipt', from: 'mmgw' } });
    expect((await verifyGatewayDocument(signed, stranger.credential.certificate)).ok).toBe(false);
    const text = signed.toString('utf8');
    const tampered = format === 'xml' ? text.replace('op-cmcc-20261128-0007', 'op-cmcc-20261128-0008') : tamperJws(text);
    expect(tampered).not.toBe(text);
    expect((await verifyGatewayDocument(Buffer.from(tampered), me.credential.certificate)).ok).toBe(false);
  });
});

function tamperJws(text: string): string {
  const jws = JSON.parse(text) as { payload: string };
  const payload = Buffer.from(jws.payload, 'base64url').toString('utf8').replace('op-cmcc-20261128-0007', 'op-cmcc-20261128-0008');
  return JSON.stringify({ ...jws, payload: Buffer.from(payload).toString('base64url') });
}
