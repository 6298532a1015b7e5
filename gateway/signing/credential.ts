import { createPublicKey, type KeyObject, type X509Certificate } from 'node:crypto';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { readCertificates } from './certificates';
import { assertSupportedKey, readPrivateKey } from './keys';

/** What a signer holds: its private key, its certificate, and the intermediates up to a root. */
export interface Credential {
  readonly privateKey: KeyObject;
  readonly certificate: X509Certificate;
  /** Intermediates to carry in the signature (not the root). */
  readonly chain: readonly X509Certificate[];
}

/** Throws `pki.key-mismatch` unless `key` is the private half of `cert`'s public key. */
export function assertKeyMatches(key: KeyObject, cert: X509Certificate): void {
  const a = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const b = cert.publicKey.export({ type: 'spki', format: 'der' });
  if (!a.equals(b)) throw new GatewayError('pki.key-mismatch', `the private key does not belong to the certificate of ${cert.subject.replace(/\n/g, ', ')}`);
}

/** A credential from PEM files: the key (encrypted PKCS#8 with `passphrase`, or plain) and a certificate file whose first certificate is the signer's. */
export function credentialFromPem(keyPem: string | Buffer, certPem: string | Buffer, passphrase?: string): Credential {
  const privateKey = readPrivateKey(keyPem, passphrase);
  const [certificate, ...chain] = readCertificates(certPem);
  assertKeyMatches(privateKey, certificate!);
  assertSupportedKey(privateKey);
  return { privateKey, certificate: certificate!, chain };
}
