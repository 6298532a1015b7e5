import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { GatewayError } from '../../contracts/errors/gateway-error';

/** The key types mmgw issues and signs with. */
export type KeyType = 'rsa' | 'ec';

/** The environment variable holding the passphrase of private keys at rest. */
export const PASSPHRASE_ENV = 'MMGW_KEY_PASSPHRASE';

/** A fresh key pair with Node's crypto: RSA-2048 (e = 65537) or EC P-256. */
export function generateKeyPair(type: KeyType = 'rsa', rsaBits = 2048): { privateKey: KeyObject; publicKey: KeyObject } {
  return type === 'rsa'
    ? generateKeyPairSync('rsa', { modulusLength: rsaBits, publicExponent: 0x10001 })
    : generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

/** The passphrase from `env` (default `process.env`); throws `pki.passphrase-missing` when unset or empty. */
export function passphraseFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const value = env[PASSPHRASE_ENV];
  if (!value) throw new GatewayError('pki.passphrase-missing', `set ${PASSPHRASE_ENV} to the passphrase that protects private keys at rest`);
  return value;
}

/** A private key as encrypted PKCS#8 PEM (PBES2, AES-256-CBC), the only form keys take at rest. */
export function encryptPrivateKey(key: KeyObject, passphrase: string): string {
  return key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }) as string;
}

/** Reads a PEM private key (encrypted PKCS#8, or a plain PEM for imports); throws `pki.key-unreadable`. */
export function readPrivateKey(pem: string | Buffer, passphrase?: string): KeyObject {
  try {
    const key = createPrivateKey({ key: pem, format: 'pem', passphrase });
    assertSupportedKey(key);
    return key;
  } catch (e) {
    if (e instanceof GatewayError) throw e;
    throw new GatewayError('pki.key-unreadable', `cannot read the private key: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Throws `pki.unsupported-key` unless the key is RSA ≥ 2048 bits or EC P-256. */
export function assertSupportedKey(key: KeyObject): void {
  const d = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa' && (d?.modulusLength ?? 0) >= 2048) return;
  if (key.asymmetricKeyType === 'ec' && d?.namedCurve === 'prime256v1') return;
  throw new GatewayError('pki.unsupported-key', `key type ${key.asymmetricKeyType ?? '?'} (${JSON.stringify(d ?? {})}) is not RSA ≥ 2048 or EC P-256`);
}

/** The public half of a private key. */
export function publicKeyOf(key: KeyObject): KeyObject {
  return createPublicKey(key);
}
