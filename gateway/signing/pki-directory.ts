import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { certificateFacts, readCertificates } from './certificates';
import { assertKeyMatches, type Credential } from './credential';
import { parseCsr } from './csr';
import { certifyInstitution, createDevCa, issueInstitutionCredential, type CertificateAuthority } from './dev-pki';
import { DEMO_INSTITUTIONS, isInstitutionCode } from './institution';
import { encryptPrivateKey, readPrivateKey, type KeyType } from './keys';

/**
 * The on-disk layout of a PKI directory (`mmgw pki init DIR`):
 *
 * - `ca.cert.pem`, `ca.key.pem` — the dev CA; the key is encrypted PKCS#8.
 * - `institutions/<code>.cert.pem`, `institutions/<code>.key.pem` — one credential per institution.
 *
 * Keys are written only encrypted (passphrase from `MMGW_KEY_PASSPHRASE`) and with mode 0600.
 */
export const PKI_FILES = {
  caCert: 'ca.cert.pem',
  caKey: 'ca.key.pem',
  institutionCert: (code: string) => join('institutions', `${code}.cert.pem`),
  institutionKey: (code: string) => join('institutions', `${code}.key.pem`),
} as const;

/** Options of `initPkiDirectory`. */
export interface InitOptions {
  readonly now: Date;
  readonly passphrase: string;
  /** @defaultValue `rsa` */
  readonly keyType?: KeyType;
  /** @defaultValue the demo registry (`DEMO_INSTITUTIONS`) */
  readonly institutions?: readonly string[];
}

/** Creates a dev CA and one credential per institution in `dir`; throws `pki.exists` if `dir` already has a CA. Returns the codes issued. */
export function initPkiDirectory(dir: string, opts: InitOptions): string[] {
  if (existsSync(join(dir, PKI_FILES.caKey))) throw new GatewayError('pki.exists', `${dir} already holds a CA (${PKI_FILES.caKey}); refusing to overwrite it`);
  mkdirSync(join(dir, 'institutions'), { recursive: true });
  const ca = createDevCa({ now: opts.now, keyType: opts.keyType });
  writeFileSync(join(dir, PKI_FILES.caKey), encryptPrivateKey(ca.privateKey, opts.passphrase), { mode: 0o600 });
  writeFileSync(join(dir, PKI_FILES.caCert), ca.certificate.toString());
  const codes = [...(opts.institutions ?? DEMO_INSTITUTIONS)];
  for (const code of codes) {
    const cred = issueInstitutionCredential(ca, code, { now: opts.now, keyType: opts.keyType });
    writeFileSync(join(dir, PKI_FILES.institutionKey(code)), encryptPrivateKey(cred.privateKey, opts.passphrase), { mode: 0o600 });
    writeFileSync(join(dir, PKI_FILES.institutionCert(code)), cred.certificate.toString());
  }
  return codes;
}

/** Loads the CA of a PKI directory, decrypting its key with `passphrase`. */
export function loadCa(dir: string, passphrase: string): CertificateAuthority {
  const certPath = join(dir, PKI_FILES.caCert);
  const keyPath = join(dir, PKI_FILES.caKey);
  if (!existsSync(certPath) || !existsSync(keyPath)) throw new GatewayError('usage.file-unreadable', `${dir} holds no CA (${PKI_FILES.caCert}, ${PKI_FILES.caKey}); run \`mmgw pki init ${dir}\` first`);
  const privateKey = readPrivateKey(readFileSync(keyPath), passphrase);
  const [certificate] = readCertificates(readFileSync(certPath));
  assertKeyMatches(privateKey, certificate!);
  return { certificate: certificate!, privateKey };
}

/** Issues a certificate for `institution` from a CSR; the CSR's CN, if any, must be that institution. Returns PEM. */
export function issueFromCsr(ca: CertificateAuthority, institution: string, csr: string | Buffer, now: Date, days = 825): string {
  const req = parseCsr(csr);
  if (req.commonName !== undefined && req.commonName !== institution) {
    throw new GatewayError('pki.csr-invalid', `the CSR asks for CN=${req.commonName}, not for --institution ${institution}`);
  }
  const notBefore = new Date(now.getTime() - 3_600_000);
  return certifyInstitution(ca, institution, req.publicKey, { notBefore, notAfter: new Date(notBefore.getTime() + days * 86_400_000) }).toString();
}

/**
 * Stores an imported credential (from PEM or PKCS#12) for `institution` in `dir`, the key
 * re-encrypted as PKCS#8 with `passphrase`, the certificate followed by its chain. The
 * certificate's CN must be that institution. Returns the two paths written.
 */
export function storeCredential(dir: string, institution: string, credential: Credential, passphrase: string): { key: string; cert: string } {
  const cn = certificateFacts(credential.certificate).commonName;
  if (!isInstitutionCode(institution)) throw new GatewayError('pki.unknown-institution', `"${institution}" is not an institution code (miit, cncert, ca-NN, op-*, dr-*, rr-*)`);
  if (cn !== institution) throw new GatewayError('pki.unknown-institution', `the certificate is for CN=${cn ?? '(none)'}, not for ${institution}`);
  mkdirSync(join(dir, 'institutions'), { recursive: true });
  const key = join(dir, PKI_FILES.institutionKey(institution));
  const cert = join(dir, PKI_FILES.institutionCert(institution));
  writeFileSync(key, encryptPrivateKey(credential.privateKey, passphrase), { mode: 0o600 });
  writeFileSync(cert, [credential.certificate, ...credential.chain].map((c) => c.toString()).join(''));
  return { key, cert };
}
