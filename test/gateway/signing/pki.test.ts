import type { KeyObject, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { certificateFacts, issueCertificate, readCertificates } from '../../../gateway/signing/certificates';
import { credentialFromPem } from '../../../gateway/signing/credential';
import { createCrl } from '../../../gateway/signing/crl';
import { createCsr, parseCsr } from '../../../gateway/signing/csr';
import { certifyInstitution, createDevCa, issueInstitutionCredential, type CertificateAuthority } from '../../../gateway/signing/dev-pki';
import { expiryWarnings } from '../../../gateway/signing/expiry';
import { DEMO_INSTITUTIONS, isInstitutionCode } from '../../../gateway/signing/institution';
import { encryptPrivateKey, generateKeyPair, passphraseFromEnv, readPrivateKey } from '../../../gateway/signing/keys';
import { importPkcs12 } from '../../../gateway/signing/pkcs12';
import { TrustStore } from '../../../gateway/signing/trust-store';

const now = new Date('2026-11-29T02:00:00Z');
const DAY = 86_400_000;

describe('PKI', () => {
  let ca: CertificateAuthority;
  let national: CertificateAuthority;
  beforeAll(() => {
    ca = createDevCa({ now });
    national = createDevCa({ now, name: 'national CA', keyType: 'ec' });
  });

  it('issues a CA certificate that can sign certificates and CRLs', () => {
    const f = certificateFacts(ca.certificate);
    expect(f.isCa).toBe(true);
    expect([...(f.keyUsage ?? [])].sort()).toEqual(['cRLSign', 'digitalSignature', 'keyCertSign']);
    expect(ca.certificate.verify(ca.certificate.publicKey)).toBe(true);
  });

  it('binds the institution code as the subject CN, with digitalSignature and no CA power', () => {
    const cred = issueInstitutionCredential(ca, 'op-cmcc', { now, keyType: 'ec' });
    const f = certificateFacts(cred.certificate);
    expect(f.commonName).toBe('op-cmcc');
    expect(cred.certificate.subject).toContain('CN=op-cmcc');
    expect(f.isCa).toBe(false);
    expect(f.keyUsage?.has('digitalSignature')).toBe(true);
    expect(f.keyUsage?.has('keyCertSign')).toBe(false);
    expect(cred.certificate.checkIssued(ca.certificate)).toBe(true);
    expect(cred.certificate.verify(ca.certificate.publicKey)).toBe(true);
  });

  it('knows the demo registry and refuses malformed institution codes', () => {
    expect(DEMO_INSTITUTIONS).toHaveLength(2 + 31 + 6);
    for (const code of ['miit', 'cncert', 'ca-11', 'ca-65', 'op-cmcc', 'dr-cnnic', 'rr-demo']) expect(isInstitutionCode(code)).toBe(true);
    for (const code of ['ca-99', 'ca-1', 'OP-CMCC', 'op-', 'xx-yy', 'miit ']) expect(isInstitutionCode(code)).toBe(false);
    const { publicKey } = generateKeyPair('ec');
    expect(() => certifyInstitution(ca, 'ca-99', publicKey, { notBefore: now, notAfter: new Date(now.getTime() + DAY) })).toThrow(
      expect.objectContaining({ code: 'pki.unknown-institution' }),
    );
  });

  it.each(['rsa', 'ec'] as const)('makes and reads %s CSRs, checking the self-signature', (type) => {
    const { privateKey, publicKey } = generateKeyPair(type);
    const pem = createCsr('op-cucc', privateKey, publicKey);
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----/);
    const csr = parseCsr(pem);
    expect(csr.commonName).toBe('op-cucc');
    expect(csr.publicKey.export({ type: 'spki', format: 'der' })).toEqual(publicKey.export({ type: 'spki', format: 'der' }));
    // Flip one byte of the signature (the last byte of the DER).
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    der[der.length - 1] ^= 1;
    expect(() => parseCsr(der)).toThrow(expect.objectContaining({ code: 'pki.csr-invalid' }));
  });

  it('keeps keys at rest as encrypted PKCS#8 and needs the passphrase from the environment', () => {
    const { privateKey } = generateKeyPair('ec');
    const pem = encryptPrivateKey(privateKey, 'correct horse');
    expect(pem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect(readPrivateKey(pem, 'correct horse').export({ type: 'pkcs8', format: 'der' })).toEqual(privateKey.export({ type: 'pkcs8', format: 'der' }));
    expect(() => readPrivateKey(pem, 'wrong')).toThrow(expect.objectContaining({ code: 'pki.key-unreadable' }));
    expect(passphraseFromEnv({ MMGW_KEY_PASSPHRASE: 'p' })).toBe('p');
    expect(() => passphraseFromEnv({})).toThrow(expect.objectContaining({ code: 'pki.passphrase-missing' }));
  });

  it('imports PEM credentials and refuses a key that is not the certificate\'s', () => {
    const cred = issueInstitutionCredential(ca, 'op-ctcc', { now, keyType: 'ec' });
    const other = generateKeyPair('ec');
    const certPem = cred.certificate.toString() + ca.certificate.toString();
    const imported = credentialFromPem(encryptPrivateKey(cred.privateKey, 'pw'), certPem, 'pw');
    expect(imported.certificate.fingerprint256).toBe(cred.certificate.fingerprint256);
    expect(imported.chain.map((c) => c.fingerprint256)).toEqual([ca.certificate.fingerprint256]);
    expect(() => credentialFromPem(encryptPrivateKey(other.privateKey, 'pw'), certPem, 'pw')).toThrow(expect.objectContaining({ code: 'pki.key-mismatch' }));
    expect(() => readCertificates('not a certificate')).toThrow(expect.objectContaining({ code: 'pki.certificate-unreadable' }));
  });

  it('imports a PKCS#12 file made by another tool (node-forge), and refuses a wrong password', () => {
    const cred = issueInstitutionCredential(ca, 'op-cbn', { now, keyType: 'rsa' });
    const forgeKey = forge.pki.privateKeyFromPem(cred.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string);
    const forgeCerts = [forge.pki.certificateFromPem(cred.certificate.toString()), forge.pki.certificateFromPem(ca.certificate.toString())];
    const p12 = Buffer.from(forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(forgeKey, forgeCerts, 'secret', { algorithm: '3des' })).getBytes(), 'binary');
    const imported = importPkcs12(p12, 'secret');
    expect(imported.certificate.fingerprint256).toBe(cred.certificate.fingerprint256);
    expect(imported.chain.map((c) => c.fingerprint256)).toEqual([ca.certificate.fingerprint256]);
    expect(imported.privateKey.asymmetricKeyType).toBe('rsa');
    expect(() => importPkcs12(p12, 'wrong')).toThrow(expect.objectContaining({ code: 'pki.pkcs12-invalid' }));
  });

  it('holds several roots side by side and builds each chain to its own root', () => {
    const store = new TrustStore([ca.certificate.toString() + national.certificate.toString()]);
    expect(store.anchorCertificates).toHaveLength(2);
    const a = issueInstitutionCredential(ca, 'miit', { now, keyType: 'ec' });
    const b = issueInstitutionCredential(national, 'cncert', { now, keyType: 'ec' });
    const ca2 = store.chain(store.certificate(a.certificate.raw));
    const cb = store.chain(store.certificate(b.certificate.raw));
    expect(ca2.ok && ca2.chain.map((c) => c.facts.commonName)).toEqual(['miit', 'mmgw dev CA']);
    expect(cb.ok && cb.chain.map((c) => c.facts.commonName)).toEqual(['cncert', 'national CA']);
    const onlyDev = new TrustStore([ca.certificate]);
    expect(onlyDev.chain(onlyDev.certificate(b.certificate.raw)).ok).toBe(false);
  });

  it('follows an intermediate CA offered with the signature, but not a non-CA certificate posing as one', () => {
    const { privateKey, publicKey } = generateKeyPair('ec');
    const sub = createSub(ca, publicKey, true);
    const leaf = certifyInstitution({ certificate: sub, privateKey }, 'ca-31', generateKeyPair('ec').publicKey, { notBefore: now, notAfter: new Date(now.getTime() + DAY) });
    const store = new TrustStore([ca.certificate]);
    const r = store.chain(store.certificate(leaf.raw), [store.certificate(sub.raw)]);
    expect(r.ok && r.chain.map((c) => c.facts.commonName)).toEqual(['ca-31', 'sub CA', 'mmgw dev CA']);
    expect(store.chain(store.certificate(leaf.raw)).ok).toBe(false);

    const fake = createSub(ca, publicKey, false);
    const leaf2 = certifyInstitution({ certificate: fake, privateKey }, 'ca-32', generateKeyPair('ec').publicKey, { notBefore: now, notAfter: new Date(now.getTime() + DAY) });
    expect(store.chain(store.certificate(leaf2.raw), [store.certificate(fake.raw)]).ok).toBe(false);
  });

  it('imports CRLs signed by an anchor, finds revoked serials, and refuses a CRL from elsewhere', () => {
    const victim = issueInstitutionCredential(ca, 'op-cmcc', { now, keyType: 'ec' });
    const other = issueInstitutionCredential(ca, 'op-cucc', { now, keyType: 'ec' });
    const store = new TrustStore([ca.certificate]);
    const crlPem = createCrl(ca, [{ serial: victim.certificate.serialNumber, revokedAt: now }], now, new Date(now.getTime() + 7 * DAY));
    const crl = store.addCrl(crlPem);
    expect(crl.revoked.size).toBe(1);
    const anchor = store.certificate(ca.certificate.raw);
    expect(store.revokedAt(store.certificate(victim.certificate.raw), anchor)).toEqual(now);
    expect(store.revokedAt(store.certificate(other.certificate.raw), anchor)).toBeUndefined();
    expect(() => store.addCrl(createCrl(national, [], now, new Date(now.getTime() + DAY)))).toThrow(expect.objectContaining({ code: 'pki.crl-invalid' }));
    expect(() => store.addCrl('garbage')).toThrow(expect.objectContaining({ code: 'pki.crl-invalid' }));
  });

  it('warns before expiry, and says when a certificate has expired', () => {
    const cred = issueInstitutionCredential(ca, 'rr-demo', { now, keyType: 'ec', days: 20 });
    expect(expiryWarnings([cred.certificate, ca.certificate], now)).toEqual([
      expect.objectContaining({ subject: 'rr-demo', daysLeft: 19, message: expect.stringMatching(/rr-demo .* expires on .* in 19 day/) }),
    ]);
    expect(expiryWarnings([cred.certificate], now, 10)).toEqual([]);
    expect(expiryWarnings([cred.certificate], new Date(now.getTime() + 30 * DAY))[0]?.message).toMatch(/expired on/);
  });
});

function createSub(ca: CertificateAuthority, publicKey: KeyObject, isCa: boolean): X509Certificate {
  return issueCertificate({ commonName: 'sub CA', publicKey, notBefore: now, notAfter: new Date(now.getTime() + DAY), ca: isCa, keyUsage: ['keyCertSign', 'cRLSign'] }, ca);
}
