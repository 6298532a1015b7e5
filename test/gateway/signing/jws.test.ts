import { createCrl } from '../../../gateway/signing/crl';
import { certifyInstitution, createDevCa } from '../../../gateway/signing/dev-pki';
import { formatOf, signDocument, verifyDocument } from '../../../gateway/signing/documents';
import { signJws } from '../../../gateway/signing/jws-sign';
import { verifyJws } from '../../../gateway/signing/jws-verify';
import { generateKeyPair } from '../../../gateway/signing/keys';
import { repeatedTopLevelKey } from '../../../gateway/signing/signed-facts';
import { TrustStore } from '../../../gateway/signing/trust-store';
import type { Verification } from '../../../gateway/signing/verification';
import { messageJson, messageXml, PKI_NOW, testPki, type TestPki } from './fixtures';

const code = (v: Verification): string => (v.ok ? 'ok' : v.code);
const b64u = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('JWS (flattened JSON, x5c)', () => {
  let pki: TestPki;
  let trust: TrustStore;
  beforeAll(() => {
    pki = testPki();
    trust = new TrustStore([pki.ca.certificate]);
  });
  const verify = (jws: unknown, store = trust): Promise<Verification> => verifyJws(typeof jws === 'string' ? jws : JSON.stringify(jws), { trust: store });

  it.each([
    ['RS256', 'rsa'],
    ['PS256', 'rsa'],
    ['ES256', 'ec'],
  ] as const)('signs and verifies %s with x5c in the protected header', async (alg, type) => {
    const jws = await signJws(messageJson(), pki.cred('op-cmcc', type), alg);
    expect(Object.keys(jws).sort()).toEqual(['payload', 'protected', 'signature']);
    const header = JSON.parse(Buffer.from(jws.protected!, 'base64url').toString()) as { alg: string; x5c: string[] };
    expect(header.alg).toBe(alg);
    expect(header.x5c[0]).toBe(pki.cred('op-cmcc', type).certificate.raw.toString('base64'));
    expect(await verify(jws)).toEqual(expect.objectContaining({ ok: true, format: 'jws', institution: 'op-cmcc', algorithm: alg, signedAt: new Date('2026-11-29T02:00:00Z') }));
  });

  it('refuses tampered content: RSA shows the signature is intact, so it says tampered', async () => {
    for (const alg of ['RS256', 'PS256'] as const) {
      const jws = await signJws(messageJson(), pki.cred('op-cmcc'), alg);
      const payload = Buffer.from(Buffer.from(jws.payload, 'base64url').toString().replace('"sampleCount":3', '"sampleCount":4')).toString('base64url');
      expect(code(await verify({ ...jws, payload }))).toBe('signature.tampered');
    }
    const es = await signJws(messageJson(), pki.cred('op-cmcc', 'ec'));
    const payload = Buffer.from(Buffer.from(es.payload, 'base64url').toString().replace('"sampleCount":3', '"sampleCount":4')).toString('base64url');
    expect(code(await verify({ ...es, payload }))).toBe('signature.invalid');
  });

  it('refuses a tampered signature as signature.invalid', async () => {
    for (const alg of ['RS256', 'PS256', 'ES256'] as const) {
      const jws = await signJws(messageJson(), pki.cred('op-cmcc', alg === 'ES256' ? 'ec' : 'rsa'), alg);
      const sig = Buffer.from(jws.signature, 'base64url');
      sig[10] ^= 0xff;
      expect([alg, code(await verify({ ...jws, signature: sig.toString('base64url') }))]).toEqual([alg, 'signature.invalid']);
    }
  });

  it('refuses a wrong signer: swapped x5c (invalid), another institution (sender-mismatch)', async () => {
    const jws = await signJws(messageJson(), pki.cred('op-cmcc'));
    const header = JSON.parse(Buffer.from(jws.protected!, 'base64url').toString()) as Record<string, unknown>;
    const swapped = b64u({ ...header, x5c: [pki.cred('op-cucc').certificate.raw.toString('base64')] });
    expect(code(await verify({ ...jws, protected: swapped }))).toBe('signature.invalid');
    expect(code(await verify(await signJws(messageJson({ from: 'op-cmcc' }), pki.cred('op-cucc'))))).toBe('signature.sender-mismatch');
  });

  it('checks expired, not-yet-valid, revoked, untrusted chain, key usage', async () => {
    const cred = pki.cred('op-cbn', 'ec');
    expect(code(await verify(await signJws(messageJson({ from: 'op-cbn', sentAt: '2031-01-01T00:00:00Z' }), cred)))).toBe('signature.expired');
    expect(code(await verify(await signJws(messageJson({ from: 'op-cbn', sentAt: '2026-11-01T00:00:00Z' }), cred)))).toBe('signature.not-yet-valid');
    const store = new TrustStore([pki.ca.certificate]);
    store.addCrl(createCrl(pki.ca, [{ serial: cred.certificate.serialNumber, revokedAt: PKI_NOW }], PKI_NOW, new Date(PKI_NOW.getTime() + 864e5)));
    expect(code(await verify(await signJws(messageJson({ from: 'op-cbn' }), cred), store))).toBe('signature.revoked');
    const rogue = createDevCa({ now: PKI_NOW, keyType: 'ec' });
    const k = generateKeyPair('ec');
    const notAfter = new Date(PKI_NOW.getTime() + 864e5 * 30);
    const rogueCert = certifyInstitution(rogue, 'op-cmcc', k.publicKey, { notBefore: PKI_NOW, notAfter });
    expect(code(await verify(await signJws(messageJson(), { privateKey: k.privateKey, certificate: rogueCert, chain: [] })))).toBe('signature.untrusted-chain');
    const noSign = certifyInstitution(pki.ca, 'op-cmcc', k.publicKey, { notBefore: PKI_NOW, notAfter, keyUsage: ['keyCertSign'] });
    expect(code(await verify(await signJws(messageJson(), { privateKey: k.privateKey, certificate: noSign, chain: [] })))).toBe('signature.key-usage');
  });

  it('refuses several signatures, unprotected headers, other algorithms, a missing x5c, crit', async () => {
    const jws = await signJws(messageJson(), pki.cred('op-cmcc', 'ec'));
    const sig = { protected: jws.protected, signature: jws.signature };
    expect(code(await verify({ payload: jws.payload, signatures: [sig, sig] }))).toBe('signature.multiple');
    expect(code(await verify({ ...jws, header: { x5c: [] } }))).toBe('signature.malformed');
    expect(code(await verify({ ...jws, protected: b64u({ alg: 'HS256' }) }))).toBe('signature.unsupported-algorithm');
    expect(code(await verify({ ...jws, protected: b64u({ alg: 'none' }), signature: '' }))).toBe('signature.unsupported-algorithm');
    expect(code(await verify({ ...jws, protected: b64u({ alg: 'ES256' }) }))).toBe('signature.certificate-missing');
    expect(code(await verify({ ...jws, protected: b64u({ alg: 'ES256', crit: ['exp'], x5c: ['x'] }) }))).toBe('signature.unsupported-algorithm');
    expect(code(await verify({ ...jws, protected: b64u({ alg: 'RS256', x5c: JSON.parse(Buffer.from(jws.protected!, 'base64url').toString()).x5c }) }))).toBe('signature.unsupported-algorithm');
    expect(code(await verify(messageJson()))).toBe('signature.missing');
    expect(code(await verify('{"protected":'))).toBe('signature.malformed');
    await expect(signJws(JSON.stringify(jws), pki.cred('op-cmcc', 'ec'))).rejects.toMatchObject({ code: 'signature.multiple' });
  });

  it('refuses a payload that repeats from or sentAt (parsers disagree on which one counts)', async () => {
    const doc = messageJson({ from: 'op-cucc' });
    const twice = `{"from":"op-cmcc",${doc.slice(1)}`;
    const v = await verify(await signJws(twice, pki.cred('op-cucc', 'ec')));
    expect(v).toEqual(expect.objectContaining({ ok: false, code: 'signature.signed-facts-missing', message: expect.stringContaining('from more than once') }));
    expect(repeatedTopLevelKey('{"body":{"from":1},"from":"a"}', ['from'])).toBeUndefined();
    expect(repeatedTopLevelKey('{"from":"a", "x":[{"from":2}], "\\u0066rom" :"b"}', ['from'])).toBe('from');
    expect(repeatedTopLevelKey('{"note":"\\"from\\":","sentAt":"x","sentAt"\n:"y"}', ['from', 'sentAt'])).toBe('sentAt');
  });

  it('never throws on garbage in any member', async () => {
    const jws = await signJws(messageJson(), pki.cred('op-cmcc', 'ec'));
    for (const member of ['protected', 'payload', 'signature'] as const) {
      for (const value of ['', '!!!', 'e30', 'bnVsbA', 'W10', 42, null]) {
        const v = await verify({ ...jws, [member]: value });
        expect(v.ok).toBe(false);
      }
    }
  });
});

describe('signDocument / verifyDocument', () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = testPki('ec');
  });

  it('tells XML from JSON by content (after a BOM and whitespace)', async () => {
    expect(formatOf('\uFEFF  <?xml')).toBe('xml');
    expect(formatOf('\n{"a":1}')).toBe('json');
    expect(formatOf('hello')).toBeUndefined();
    const trust = new TrustStore([pki.ca.certificate]);
    const cred = pki.cred('miit', 'ec');
    const xml = await signDocument(`\uFEFF${messageXml({ from: 'miit' })}`, cred);
    const json = await signDocument(Buffer.from(messageJson({ from: 'miit' })), cred);
    expect(await verifyDocument(xml, { trust })).toEqual(expect.objectContaining({ ok: true, format: 'xml', institution: 'miit' }));
    expect(await verifyDocument(json, { trust })).toEqual(expect.objectContaining({ ok: true, format: 'jws', institution: 'miit' }));
    expect(await verifyDocument('hello', { trust })).toEqual(expect.objectContaining({ ok: false, code: 'signature.unknown-format' }));
    await expect(signDocument('hello', cred)).rejects.toMatchObject({ code: 'signature.unknown-format' });
  });
});
