import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueCertificate } from '../signing/certificates';
import type { CertificateAuthority } from '../signing/dev-pki';
import { encryptPrivateKey, generateKeyPair } from '../signing/keys';
import { initPkiDirectory, loadCa, PKI_FILES } from '../signing/pki-directory';
import { ensureGatewayIdentity, type GatewayIdentity } from '../identity';

/** Where the HTTPS server's dev certificate lives inside the dev PKI directory. */
export const SERVER_FILES = {
  key: join('server', 'server.key.pem'),
  cert: join('server', 'server.cert.pem'),
} as const;

/** The server name of the dev server certificate (CN); clients reaching 127.0.0.1 check it against this name. */
export const DEV_SERVER_NAME = 'localhost';

/** The dev PKI of a data directory, ready for the gateway. */
export interface DevPki {
  readonly dir: string;
  /** True when this call created the CA and the institutions' credentials. */
  readonly created: boolean;
  readonly ca: CertificateAuthority;
  /** The dev CA certificate, PEM: the trust store of the gateway and of its clients. */
  readonly caPem: string;
  /** The gateway's own signing credential (`mmgw`). */
  readonly identity: GatewayIdentity;
  /** The HTTPS server's certificate (CN localhost) and encrypted key, PEM. */
  readonly server: { readonly cert: string; readonly key: string };
}

/**
 * The dev PKI in `dir` (`<dataDir>/pki`): created on first use — a dev CA, one credential per
 * demo institution (`mmgw pki init`'s layout, EC P-256 keys: fast to make and to sign with), the gateway's `mmgw` credential and a server
 * certificate for localhost — and loaded as it is afterwards. Keys are written encrypted with
 * `passphrase`, mode 0600.
 */
export function ensureDevPki(dir: string, opts: { readonly now: Date; readonly passphrase: string }): DevPki {
  const created = !existsSync(join(dir, PKI_FILES.caKey));
  if (created) initPkiDirectory(dir, { now: opts.now, passphrase: opts.passphrase, keyType: 'ec' });
  const ca = loadCa(dir, opts.passphrase);
  const { identity } = ensureGatewayIdentity(dir, ca, { now: opts.now, passphrase: opts.passphrase });
  const keyFile = join(dir, SERVER_FILES.key);
  const certFile = join(dir, SERVER_FILES.cert);
  if (!existsSync(keyFile) || !existsSync(certFile)) {
    const { privateKey, publicKey } = generateKeyPair('ec');
    const notBefore = new Date(opts.now.getTime() - 3_600_000);
    const cert = issueCertificate({ commonName: DEV_SERVER_NAME, publicKey, notBefore, notAfter: new Date(notBefore.getTime() + 825 * 86_400_000), keyUsage: ['digitalSignature'] }, ca);
    mkdirSync(join(dir, 'server'), { recursive: true });
    writeFileSync(keyFile, encryptPrivateKey(privateKey, opts.passphrase), { mode: 0o600 });
    writeFileSync(certFile, cert.toString());
  }
  return {
    dir, created, ca,
    caPem: ca.certificate.toString(),
    identity,
    server: { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') },
  };
}
