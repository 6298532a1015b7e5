import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { encode } from '../../../contracts/codec/encode';
import type { MessageDocument } from '../../../contracts/codec/message-document';
import { issueGatewayIdentity, verifyGatewayDocument } from '../../../gateway/identity';
import { signGatewayXml } from '../../../gateway/identity/sign-gateway-xml';
import { createDevCa } from '../../../gateway/signing/dev-pki';
import { DSIG, EcdsaSha256 } from '../../../gateway/signing/xml-dsig-algorithms';
import { signXml } from '../../../gateway/signing/xml-dsig-sign';
import { excC14n } from '../../../gateway/signing/xml-c14n';
import { parseXml } from '../../../gateway/signing/xml-tree';

const now = new Date('2026-11-28T02:00:00Z');
const receipt = (extra: Record<string, unknown> = {}): string => encode({
  id: 'mmgw-20261128-0011223344556677', type: 'Receipt', version: '1.0', from: 'mmgw', to: ['op-cmcc'], sentAt: now.toISOString(),
  references: { inReplyTo: 'op-cmcc-20261128-0007' },
  body: { messageId: 'op-cmcc-20261128-0007', sha256: 'ab'.repeat(32), acceptedAt: now.toISOString(), recipients: ['miit', 'ca-11', 'cncert & <co>'], ...extra },
} as unknown as MessageDocument, 'xml');

describe('signGatewayXml: the gateway\'s own XML-DSig without xml-crypto', () => {
  it('with an RSA key (deterministic signatures) is byte for byte what signXml (xml-crypto) makes', () => {
    const ca = createDevCa({ now, keyType: 'rsa' });
    const identity = issueGatewayIdentity(ca, { now, keyType: 'rsa' });
    for (const xml of [receipt(), receipt({ note: '中文 "quoted" \'apos\' \t tab' }), receipt().trimEnd()]) {
      expect(signGatewayXml(xml, identity.credential)).toBe(signXml(xml, identity.credential));
    }
    // Given the document's canonical form (as intake gives it for its Receipts), the same bytes.
    const xml = receipt();
    expect(signGatewayXml(xml, identity.credential, excC14n(parseXml(xml)))).toBe(signXml(xml, identity.credential));
  });

  it('with the EC P-256 key the gateway has by default: same document and SignedInfo as signXml, and the verifier of gateway documents and xml-crypto accept it', async () => {
    const ca = createDevCa({ now, keyType: 'ec' });
    const identity = issueGatewayIdentity(ca, { now });
    const xml = receipt();
    const mine = signGatewayXml(xml, identity.credential);
    const theirs = signXml(xml, identity.credential);
    const withoutValue = (s: string) => s.replace(/<ds:SignatureValue>[^<]*<\/ds:SignatureValue>/, '');
    expect(withoutValue(mine)).toBe(withoutValue(theirs));
    await expect(verifyGatewayDocument(Buffer.from(mine), identity.credential.certificate)).resolves.toMatchObject({ ok: true });
    // A changed byte of the signed content is refused.
    await expect(verifyGatewayDocument(Buffer.from(mine.replace('ca-11', 'ca-12')), identity.credential.certificate)).resolves.toMatchObject({ ok: false });
    // xml-crypto's own check agrees (a verifier other than mmgw's).
    const check = new SignedXml({ publicCert: identity.credential.certificate.toString() });
    check.SignatureAlgorithms[DSIG.ecdsaSha256] = EcdsaSha256;
    check.loadSignature(check.findSignatures(new DOMParser().parseFromString(mine, 'text/xml') as unknown as Node)[0]!);
    expect(check.checkSignature(mine)).toBe(true);
  });

  it('refuses what signXml refuses: a DOCTYPE, an already signed document', () => {
    const ca = createDevCa({ now, keyType: 'ec' });
    const identity = issueGatewayIdentity(ca, { now });
    expect(() => signGatewayXml(`<!DOCTYPE x><x/>`, identity.credential)).toThrow(expect.objectContaining({ code: 'signature.doctype-forbidden' }));
    expect(() => signGatewayXml(signGatewayXml(receipt(), identity.credential), identity.credential)).toThrow(expect.objectContaining({ code: 'signature.multiple' }));
  });
});
