import type { KeyObject, X509Certificate } from 'node:crypto';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { issueCertificate, type KeyUsage } from './certificates';
import type { Credential } from './credential';
import { isInstitutionCode } from './institution';
import { generateKeyPair, type KeyType } from './keys';

/** A certification authority: its self-signed certificate and its key. */
export interface CertificateAuthority {
  readonly certificate: X509Certificate;
  readonly privateKey: KeyObject;
}

const DAY_MS = 86_400_000;

/** Options of the development PKI. */
export interface DevPkiOptions {
  /** The instant validity starts from (injected clock). */
  readonly now: Date;
  /** Validity in days. @defaultValue 3650 for the CA, 825 for institutions */
  readonly days?: number;
  /** @defaultValue `rsa` (RSA-2048) */
  readonly keyType?: KeyType;
}

/** A self-signed development CA (`CN=<name>`), valid from one hour before `now`. */
export function createDevCa(opts: DevPkiOptions & { readonly name?: string }): CertificateAuthority {
  const { privateKey, publicKey } = generateKeyPair(opts.keyType ?? 'rsa');
  const notBefore = new Date(opts.now.getTime() - 3_600_000);
  const certificate = issueCertificate(
    { commonName: opts.name ?? 'mmgw dev CA', publicKey, notBefore, notAfter: new Date(notBefore.getTime() + (opts.days ?? 3650) * DAY_MS), ca: true },
    { selfKey: privateKey },
  );
  return { certificate, privateKey };
}

/** Certifies `publicKey` for `institution` (CN = the institution code); throws `pki.unknown-institution` for a malformed code. */
export function certifyInstitution(
  ca: CertificateAuthority,
  institution: string,
  publicKey: KeyObject,
  opts: { readonly notBefore: Date; readonly notAfter: Date; readonly keyUsage?: readonly KeyUsage[] },
): X509Certificate {
  if (!isInstitutionCode(institution)) {
    throw new GatewayError('pki.unknown-institution', `"${institution}" is not an institution code (miit, cncert, ca-NN, op-*, dr-*, rr-*)`);
  }
  return issueCertificate({ commonName: institution, publicKey, notBefore: opts.notBefore, notAfter: opts.notAfter, keyUsage: opts.keyUsage }, ca);
}

/** A fresh key pair and certificate for `institution`, valid from one hour before `now`. */
export function issueInstitutionCredential(ca: CertificateAuthority, institution: string, opts: DevPkiOptions): Credential {
  const { privateKey, publicKey } = generateKeyPair(opts.keyType ?? 'rsa');
  const notBefore = new Date(opts.now.getTime() - 3_600_000);
  const certificate = certifyInstitution(ca, institution, publicKey, { notBefore, notAfter: new Date(notBefore.getTime() + (opts.days ?? 825) * DAY_MS) });
  return { privateKey, certificate, chain: [] };
}
