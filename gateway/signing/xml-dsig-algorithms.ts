import { createPrivateKey, createPublicKey, KeyObject, sign as nodeSign, verify as nodeVerify, type KeyLike } from 'node:crypto';

/** The XML-DSig algorithm URIs mmgw signs with and accepts; nothing else is accepted. */
export const DSIG = {
  ns: 'http://www.w3.org/2000/09/xmldsig#',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  enveloped: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  ecdsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
} as const;

/**
 * ECDSA-SHA256 for xml-crypto, which ships only RSA and HMAC. XML-DSig 1.1 §6.4.3 carries the
 * signature as the raw concatenation r‖s (IEEE P1363), not DER, so that is what Node's crypto is
 * asked for.
 */
export class EcdsaSha256 {
  /** Signs the canonical SignedInfo; base64 of r‖s. */
  getSignature(signedInfo: string | Buffer, privateKey: KeyLike): string {
    return nodeSign('sha256', Buffer.from(signedInfo), { key: privateKey instanceof KeyObject ? privateKey : createPrivateKey(privateKey), dsaEncoding: 'ieee-p1363' }).toString('base64');
  }

  /** Verifies base64 r‖s over the canonical SignedInfo. */
  verifySignature(material: string | Buffer, key: KeyLike, signatureValue: string): boolean {
    return nodeVerify('sha256', Buffer.from(material), { key: key instanceof KeyObject ? key : createPublicKey(key), dsaEncoding: 'ieee-p1363' }, Buffer.from(signatureValue, 'base64'));
  }

  /** The algorithm URI. */
  getAlgorithmName(): string {
    return DSIG.ecdsaSha256;
  }
}
