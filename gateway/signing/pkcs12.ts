import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { assertKeyMatches, type Credential } from './credential';
import * as der from './der';

/**
 * Imports a PKCS#12 (.p12/.pfx) file: the private key and the certificates, the signer's first
 * (the one whose public key matches the key). node-forge decodes the container; RSA and EC
 * keys are both handed to Node's crypto as PKCS#8 DER. Throws `pki.pkcs12-invalid`.
 */
export function importPkcs12(data: Buffer, password: string): Credential {
  let keys: KeyObject[];
  let certs: X509Certificate[];
  try {
    const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(der.bin(data))), false, password);
    const bags = p12.safeContents.flatMap((sc) => sc.safeBags);
    keys = bags
      .filter((b) => b.type === forge.pki.oids.keyBag || b.type === forge.pki.oids.pkcs8ShroudedKeyBag)
      .map((b) => {
        const info = b.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(b.key)) : (b.asn1 as forge.asn1.Asn1);
        return createPrivateKey({ key: der.toDer(info), format: 'der', type: 'pkcs8' });
      });
    certs = bags
      .filter((b) => b.type === forge.pki.oids.certBag)
      .map((b) => new X509Certificate(der.toDer(b.cert ? forge.pki.certificateToAsn1(b.cert) : (b.asn1 as forge.asn1.Asn1))));
  } catch (e) {
    throw new GatewayError('pki.pkcs12-invalid', `cannot read the PKCS#12 file: ${e instanceof Error ? e.message : String(e)}`);
  }
  const privateKey = keys[0];
  if (!privateKey || keys.length !== 1) throw new GatewayError('pki.pkcs12-invalid', `the PKCS#12 file holds ${keys.length} private keys; exactly one is needed`);
  const signer = certs.find((c) => {
    try {
      assertKeyMatches(privateKey, c);
      return true;
    } catch {
      return false;
    }
  });
  if (!signer) throw new GatewayError('pki.pkcs12-invalid', 'no certificate in the PKCS#12 file matches its private key');
  return { privateKey, certificate: signer, chain: certs.filter((c) => c !== signer) };
}
