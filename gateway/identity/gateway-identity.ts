import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { certificateFacts, issueCertificate } from '../signing/certificates';
import { credentialFromPem, type Credential } from '../signing/credential';
import type { CertificateAuthority } from '../signing/dev-pki';
import { encryptPrivateKey, generateKeyPair, type KeyType } from '../signing/keys';

/** The gateway's own institution code: the `from` of every Receipt and Rejection. */
export const GATEWAY_CODE = 'mmgw';

/** Where the gateway's credential lives inside a PKI directory (`mmgw pki init DIR`). */
export const GATEWAY_FILES = {
  key: join('gateway', `${GATEWAY_CODE}.key.pem`),
  cert: join('gateway', `${GATEWAY_CODE}.cert.pem`),
} as const;

/** The gateway's signing credential: its key and a certificate with CN `mmgw`. */
export interface GatewayIdentity {
  readonly code: typeof GATEWAY_CODE;
  readonly credential: Credential;
}

const DAY_MS = 86_400_000;

function identityOf(credential: Credential): GatewayIdentity {
  const cn = certificateFacts(credential.certificate).commonName;
  if (cn !== GATEWAY_CODE) throw new GatewayError('pki.unknown-institution', `the gateway's certificate must have CN=${GATEWAY_CODE}, it has CN=${cn ?? '(none)'}`);
  return { code: GATEWAY_CODE, credential };
}

/** The gateway's identity from PEM: the key (encrypted PKCS#8 with `passphrase`, or plain) and its certificate (CN `mmgw`) followed by any intermediates. */
export function gatewayIdentityFromPem(keyPem: string | Buffer, certPem: string | Buffer, passphrase?: string): GatewayIdentity {
  return identityOf(credentialFromPem(keyPem, certPem, passphrase));
}

/** Loads the gateway's identity from two files; `usage.file-unreadable` names a missing one. */
export function loadGatewayIdentity(files: { readonly keyFile: string; readonly certFile: string; readonly passphrase?: string }): GatewayIdentity {
  for (const f of [files.keyFile, files.certFile]) {
    if (!existsSync(f)) throw new GatewayError('usage.file-unreadable', `the gateway's credential file ${f} does not exist`, { path: f });
  }
  return gatewayIdentityFromPem(readFileSync(files.keyFile), readFileSync(files.certFile), files.passphrase);
}

/** Issues a fresh gateway credential from `ca` (CN `mmgw`, digitalSignature), valid from one hour before `now`; EC P-256 by default (fast to sign every receipt). */
export function issueGatewayIdentity(ca: CertificateAuthority, opts: { readonly now: Date; readonly days?: number; readonly keyType?: KeyType }): GatewayIdentity {
  const { privateKey, publicKey } = generateKeyPair(opts.keyType ?? 'ec');
  const notBefore = new Date(opts.now.getTime() - 3_600_000);
  const certificate = issueCertificate(
    { commonName: GATEWAY_CODE, publicKey, notBefore, notAfter: new Date(notBefore.getTime() + (opts.days ?? 825) * DAY_MS), keyUsage: ['digitalSignature', 'nonRepudiation'] },
    ca,
  );
  return { code: GATEWAY_CODE, credential: { privateKey, certificate, chain: [] } };
}

/**
 * The gateway's identity in the PKI directory `dir`: loaded from `gateway/mmgw.*.pem` when
 * present, otherwise issued by `ca` (the dev CA) and written there, the key encrypted with
 * `passphrase` (mode 0600). `created` says which.
 */
export function ensureGatewayIdentity(dir: string, ca: CertificateAuthority, opts: { readonly now: Date; readonly passphrase: string; readonly keyType?: KeyType }): { identity: GatewayIdentity; created: boolean } {
  const keyFile = join(dir, GATEWAY_FILES.key);
  const certFile = join(dir, GATEWAY_FILES.cert);
  if (existsSync(keyFile) && existsSync(certFile)) return { identity: loadGatewayIdentity({ keyFile, certFile, passphrase: opts.passphrase }), created: false };
  const identity = issueGatewayIdentity(ca, opts);
  mkdirSync(dirname(keyFile), { recursive: true });
  writeFileSync(keyFile, encryptPrivateKey(identity.credential.privateKey, opts.passphrase), { mode: 0o600 });
  writeFileSync(certFile, identity.credential.certificate.toString());
  return { identity, created: true };
}
