import { flattenedVerify } from 'jose';
import { encode } from '../../../contracts/codec';
import type { MessageDocument } from '../../../contracts/codec/message-document';
import { signDocument } from '../../../gateway/signing/documents';
import { signJwsDirect } from '../../../gateway/signing/jws-sign-direct';
import { verifyJws } from '../../../gateway/signing/jws-verify';
import { TrustStore } from '../../../gateway/signing/trust-store';
import { messageJson, testPki, type TestPki } from './fixtures';

// The gateway signs its JSON Receipts with node:crypto directly (issue 4 item 8); jose stays the
// verifier. These tests hold the direct output to signDocument's (jose's) bytes and to jose's verify.
describe('signJwsDirect: the flattened JWS of the gateway’s own JSON documents', () => {
  let pki: TestPki;
  let trust: TrustStore;
  beforeAll(() => {
    pki = testPki('ec');
    trust = new TrustStore([pki.ca.certificate]);
  });

  const receipt = encode({
    id: 'mmgw-20261129-0123456789abcdef', type: 'Receipt', version: '1.0', from: 'mmgw', to: ['op-cmcc'], sentAt: '2026-11-29T10:00:00.000Z',
    references: { inReplyTo: 'op-cmcc-20261129-000001' },
    body: { messageId: 'op-cmcc-20261129-000001', sha256: 'a'.repeat(64), acceptedAt: '2026-11-29T10:00:00.000Z', recipients: ['miit', 'ca-11', 'cncert'] },
  } as unknown as MessageDocument, 'json');

  it.each([['a Receipt from the encoder', receipt], ['a document with non-ASCII text, a BOM and surrounding white space', `\uFEFF ${messageJson()}\n\n`]])('RS256: the same bytes as signDocument (jose), for %s', async (_what, json) => {
    const cred = pki.cred('op-cmcc', 'rsa');
    expect(await signJwsDirect(json, cred)).toBe(await signDocument(json, cred));
  });

  it('ES256: the same text as signDocument but for the (randomised) signature, and jose verifies it with the certificate’s key', async () => {
    const cred = pki.cred('op-cmcc', 'ec');
    const direct = await signJwsDirect(receipt, cred);
    const viaJose = await signDocument(receipt, cred);
    const strip = (t: string) => t.replace(/^\{"signature":"[A-Za-z0-9_-]+"/, '{"signature":""');
    expect(strip(direct)).toBe(strip(viaJose));
    expect(direct.endsWith('}\n')).toBe(true);
    const jws = JSON.parse(direct) as { protected: string; payload: string; signature: string };
    // r‖s, 64 bytes (RFC 7518 §3.4), not DER.
    expect(Buffer.from(jws.signature, 'base64url')).toHaveLength(64);
    const { payload, protectedHeader } = await flattenedVerify(jws, cred.certificate.publicKey, { algorithms: ['ES256'] });
    expect(Buffer.from(payload).toString('utf8')).toBe(receipt.trim());
    expect(protectedHeader).toEqual({ alg: 'ES256', x5c: [cred.certificate.raw.toString('base64')] });
  });

  it('the gateway’s JWS verifier accepts it, and refuses it once a byte of the payload changes', async () => {
    const cred = pki.cred('op-cmcc', 'ec');
    const json = messageJson();
    const signed = await signJwsDirect(json, cred);
    expect(await verifyJws(signed, { trust })).toEqual(expect.objectContaining({ ok: true, institution: 'op-cmcc', algorithm: 'ES256' }));
    const jws = JSON.parse(signed) as { payload: string };
    const other = Buffer.from(Buffer.from(jws.payload, 'base64url').toString('utf8').replace('"sampleCount":3', '"sampleCount":4')).toString('base64url');
    expect(await verifyJws(signed.replace(jws.payload, other), { trust })).toEqual(expect.objectContaining({ ok: false, code: 'signature.invalid' }));
  });

  it('each credential keeps its own header: two signers, two x5c', async () => {
    const a = pki.cred('op-cmcc', 'ec');
    const b = pki.cred('op-cucc', 'ec');
    const x5cOf = (t: string) => (JSON.parse(Buffer.from((JSON.parse(t) as { protected: string }).protected, 'base64url').toString()) as { x5c: string[] }).x5c[0];
    expect(x5cOf(await signJwsDirect(receipt, a))).toBe(a.certificate.raw.toString('base64'));
    expect(x5cOf(await signJwsDirect(receipt, b))).toBe(b.certificate.raw.toString('base64'));
  });
});
