import { createCrl } from '../../../gateway/signing/crl';
import { certifyInstitution, createDevCa } from '../../../gateway/signing/dev-pki';
import { generateKeyPair } from '../../../gateway/signing/keys';
import { TrustStore } from '../../../gateway/signing/trust-store';
import type { Verification } from '../../../gateway/signing/verification';
import { signXml } from '../../../gateway/signing/xml-dsig-sign';
import { verifyXml } from '../../../gateway/signing/xml-dsig-verify';
import { messageXml, PKI_NOW, testPki, type TestPki } from './fixtures';

const code = (v: Verification): string => (v.ok ? 'ok' : v.code);

describe('XML-DSig', () => {
  let pki: TestPki;
  let trust: TrustStore;
  beforeAll(() => {
    pki = testPki();
    trust = new TrustStore([pki.ca.certificate]);
  });
  const verify = (xml: string, store = trust): Verification => verifyXml(xml, { trust: store });

  it.each(['rsa', 'ec'] as const)('signs with %s (enveloped, URI="", exc-c14n, SHA-256, cert in KeyInfo) and verifies', (type) => {
    const signed = signXml(messageXml(), pki.cred('op-cmcc', type));
    expect(signed).toMatch(/<ds:Reference URI="">/);
    expect(signed).toContain('http://www.w3.org/2001/10/xml-exc-c14n#');
    expect(signed).toContain(type === 'rsa' ? 'xmldsig-more#rsa-sha256' : 'xmldsig-more#ecdsa-sha256');
    expect(signed).toMatch(/<ds:KeyInfo><ds:X509Data><ds:X509Certificate>/);
    expect(signed).toMatch(/<\/ds:Signature><\/Message>$/);
    const v = verify(signed);
    expect(v).toEqual(expect.objectContaining({ ok: true, format: 'xml', institution: 'op-cmcc', signedAt: new Date('2026-11-29T02:00:00Z') }));
  });

  it('refuses tampered content as signature.tampered', () => {
    const signed = signXml(messageXml(), pki.cred('op-cmcc'));
    expect(code(verify(signed.replace('<sampleCount>3<', '<sampleCount>4<')))).toBe('signature.tampered');
    // Changing who it is from is tampering too, not a sender mismatch: the digest covers from.
    expect(code(verify(signed.replace('<from>op-cmcc<', '<from>op-cucc<')))).toBe('signature.tampered');
  });

  it('refuses a tampered SignatureValue as signature.invalid', () => {
    const signed = signXml(messageXml(), pki.cred('op-cmcc'));
    const tampered = signed.replace(/<ds:SignatureValue>(.)/, (_m, c: string) => `<ds:SignatureValue>${c === 'A' ? 'B' : 'A'}`);
    expect(verify(tampered)).toEqual(expect.objectContaining({ ok: false, code: 'signature.invalid', message: expect.stringContaining('op-cmcc') }));
  });

  it('refuses a wrong signer: another institution\'s certificate swapped into KeyInfo (invalid), or another institution signing (sender-mismatch)', () => {
    const signed = signXml(messageXml(), pki.cred('op-cmcc'));
    const otherCert = pki.cred('op-cucc').certificate.raw.toString('base64');
    expect(code(verify(signed.replace(/<ds:X509Certificate>[^<]+/, `<ds:X509Certificate>${otherCert}`)))).toBe('signature.invalid');
    const v = verify(signXml(messageXml({ from: 'op-cmcc' }), pki.cred('op-cucc')));
    expect(v).toEqual(expect.objectContaining({ ok: false, code: 'signature.sender-mismatch', message: expect.stringContaining('from op-cmcc but signed by op-cucc') }));
  });

  it('checks validity at the sentAt carried in the signed content: expired, not yet valid', () => {
    const cred = pki.cred('op-cmcc', 'ec');
    const notAfter = cred.certificate.validTo;
    expect(code(verify(signXml(messageXml({ sentAt: '2030-01-01T00:00:00+08:00' }), cred)))).toBe('signature.expired');
    expect(new Date(notAfter).getTime()).toBeLessThan(Date.parse('2030-01-01T00:00:00+08:00'));
    expect(code(verify(signXml(messageXml({ sentAt: '2026-11-27T00:00:00+08:00' }), cred)))).toBe('signature.not-yet-valid');
  });

  it('refuses a revoked certificate, and only that one', () => {
    const revoked = pki.cred('op-ctcc', 'ec');
    const store = new TrustStore([pki.ca.certificate]);
    store.addCrl(createCrl(pki.ca, [{ serial: revoked.certificate.serialNumber, revokedAt: PKI_NOW }], PKI_NOW, new Date(PKI_NOW.getTime() + 7 * 864e5)));
    expect(code(verify(signXml(messageXml({ from: 'op-ctcc' }), revoked), store))).toBe('signature.revoked');
    expect(code(verify(signXml(messageXml({ from: 'op-cbn' }), pki.cred('op-cbn', 'ec')), store))).toBe('ok');
  });

  it('refuses a certificate from a CA it does not trust as signature.untrusted-chain', () => {
    const rogue = createDevCa({ now: PKI_NOW, keyType: 'ec', name: 'mmgw dev CA' });
    const { privateKey, publicKey } = generateKeyPair('ec');
    const certificate = certifyInstitution(rogue, 'op-cmcc', publicKey, { notBefore: PKI_NOW, notAfter: new Date(PKI_NOW.getTime() + 864e5 * 30) });
    expect(code(verify(signXml(messageXml(), { privateKey, certificate, chain: [] })))).toBe('signature.untrusted-chain');
  });

  it('refuses a certificate without keyUsage digitalSignature as signature.key-usage', () => {
    const { privateKey, publicKey } = generateKeyPair('ec');
    const certificate = certifyInstitution(pki.ca, 'op-cmcc', publicKey, { notBefore: PKI_NOW, notAfter: new Date(PKI_NOW.getTime() + 864e5 * 30), keyUsage: ['nonRepudiation'] });
    expect(code(verify(signXml(messageXml(), { privateKey, certificate, chain: [] })))).toBe('signature.key-usage');
  });

  describe('wrapping', () => {
    let signed: string;
    beforeAll(() => {
      signed = signXml(messageXml(), pki.cred('op-cmcc', 'ec'));
    });

    it('a Reference to anything but the whole document', () => {
      const v = verify(signed.replace('<ds:Reference URI="">', '<ds:Reference URI="#evil">').replace('<id>', '<id ID="evil">'));
      expect(v).toEqual(expect.objectContaining({ ok: false, code: 'signature.wrapped', message: expect.stringContaining('#evil') }));
    });

    it('a second Reference', () => {
      const ref = /<ds:Reference URI="">[\s\S]*?<\/ds:Reference>/.exec(signed)![0];
      expect(code(verify(signed.replace(ref, ref + ref)))).toBe('signature.wrapped');
    });

    it('the Signature moved below the document element (the original content re-wrapped)', () => {
      const sig = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(signed)![0];
      const moved = signed.replace(sig, '').replace('</IncidentReport>', `${sig}</IncidentReport>`);
      expect(code(verify(moved))).toBe('signature.wrapped');
    });

    it('a ds:Object carrying a copy of the document inside the Signature', () => {
      const wrapped = signed.replace('</ds:Signature>', '<ds:Object><Message xmlns="urn:mmgw:message:1"><from>op-cmcc</from></Message></ds:Object></ds:Signature>');
      expect(code(verify(wrapped))).toBe('signature.wrapped');
    });

    it('duplicate IDs', () => {
      const dup = signed.replace('<type>', '<type Id="a">').replace('<version>', '<version Id="a">');
      expect(verify(dup)).toEqual(expect.objectContaining({ ok: false, code: 'signature.wrapped', message: expect.stringContaining('"a"') }));
    });

    it('a second Signature, even a valid one', () => {
      const sig = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(signed)![0];
      expect(code(verify(signed.replace('</Message>', `${sig}</Message>`)))).toBe('signature.multiple');
    });
  });

  it('refuses any DOCTYPE or entity declaration before parsing it (no entity expansion)', () => {
    const signed = signXml(messageXml(), pki.cred('op-cmcc', 'ec'));
    const laughs = '<!DOCTYPE Message [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>';
    expect(code(verify(signed.replace('?>', `?>${laughs}`)))).toBe('signature.doctype-forbidden');
    expect(code(verify(signed.replace('?>', '?><!doctype Message SYSTEM "file:///etc/passwd">')))).toBe('signature.doctype-forbidden');
    expect(() => signXml(`<!DOCTYPE x>${messageXml()}`, pki.cred('op-cmcc', 'ec'))).toThrow(expect.objectContaining({ code: 'signature.doctype-forbidden' }));
  });

  it('says missing, malformed and unsupported-algorithm for what they are', () => {
    expect(code(verify(messageXml()))).toBe('signature.missing');
    expect(code(verify('<Message><unclosed></Message>'))).toBe('signature.malformed');
    const signed = signXml(messageXml(), pki.cred('op-cmcc', 'ec'));
    expect(code(verify(signed.replace('xmlenc#sha256', 'xmldsig#sha1')))).toBe('signature.unsupported-algorithm');
    expect(code(verify(signed.replace(/<ds:KeyInfo>[\s\S]*<\/ds:KeyInfo>/, '')))).toBe('signature.certificate-missing');
    expect(code(verify(signed.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?><?evil x?>')))).toBe('signature.malformed');
    expect(() => signXml(signed, pki.cred('op-cmcc', 'ec'))).toThrow(expect.objectContaining({ code: 'signature.multiple' }));
  });

  it('gives each Done-when refusal of issue 3 its own reason code', () => {
    const cred = pki.cred('op-cmcc', 'ec');
    const signed = signXml(messageXml(), cred);
    const sig = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(signed)![0];
    const store = new TrustStore([pki.ca.certificate]);
    const revoked = pki.cred('op-ctcc', 'ec');
    store.addCrl(createCrl(pki.ca, [{ serial: revoked.certificate.serialNumber, revokedAt: PKI_NOW }], PKI_NOW, new Date(PKI_NOW.getTime() + 864e5)));
    const rogue = createDevCa({ now: PKI_NOW, keyType: 'ec' });
    const k = generateKeyPair('ec');
    const rogueCert = certifyInstitution(rogue, 'op-cmcc', k.publicKey, { notBefore: PKI_NOW, notAfter: new Date(PKI_NOW.getTime() + 864e5 * 30) });
    const cases: Record<string, string> = {
      'tampered content': code(verify(signed.replace('<sampleCount>3<', '<sampleCount>4<'), store)),
      'tampered signature': code(verify(signed.replace(/<ds:SignatureValue>(.)/, (_m, c: string) => `<ds:SignatureValue>${c === 'A' ? 'B' : 'A'}`), store)),
      'wrong signer': code(verify(signXml(messageXml(), pki.cred('op-cucc', 'ec')), store)),
      expired: code(verify(signXml(messageXml({ sentAt: '2030-01-01T00:00:00Z' }), cred), store)),
      'not yet valid': code(verify(signXml(messageXml({ sentAt: '2026-11-01T00:00:00Z' }), cred), store)),
      revoked: code(verify(signXml(messageXml({ from: 'op-ctcc' }), revoked), store)),
      'untrusted chain': code(verify(signXml(messageXml(), { privateKey: k.privateKey, certificate: rogueCert, chain: [] }), store)),
      'wrapped signature': code(verify(signed.replace(sig, '').replace('</IncidentReport>', `${sig}</IncidentReport>`), store)),
      'second Signature': code(verify(signed.replace('</Message>', `${sig}</Message>`), store)),
      DOCTYPE: code(verify(signed.replace('?>', '?><!DOCTYPE Message>'), store)),
    };
    expect(cases).toEqual({
      'tampered content': 'signature.tampered',
      'tampered signature': 'signature.invalid',
      'wrong signer': 'signature.sender-mismatch',
      expired: 'signature.expired',
      'not yet valid': 'signature.not-yet-valid',
      revoked: 'signature.revoked',
      'untrusted chain': 'signature.untrusted-chain',
      'wrapped signature': 'signature.wrapped',
      'second Signature': 'signature.multiple',
      DOCTYPE: 'signature.doctype-forbidden',
    });
    expect(new Set(Object.values(cases)).size).toBe(10);
  });

  it('never throws, whatever is cut out of a signed document', () => {
    const signed = signXml(messageXml(), pki.cred('op-cmcc', 'ec'));
    // The XML declaration is outside what the signature covers; every other cut must be refused.
    const covered = signed.indexOf('<Message');
    for (let i = 0; i < signed.length; i += 7) {
      const v = verify(signed.slice(0, i) + signed.slice(i + 5));
      if (i + 5 > covered) expect([i, v.ok ? 'accepted' : v.code]).toEqual([i, expect.stringMatching(/^signature\./)]);
    }
  });
});
