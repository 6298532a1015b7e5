import type { KeyObject, X509Certificate } from 'node:crypto';
import { signatureCodes } from '../../contracts/errors/signing-codes';
import { isInstitutionCode } from './institution';
import type { SignedFacts } from './signed-facts';
import type { KnownCertificate, TrustStore } from './trust-store';

/** A stable reason why a signed document is refused. */
export type SignatureCode = keyof typeof signatureCodes;

/** A document whose signature, chain, validity, revocation status and sender all check out. */
export interface VerifiedDocument {
  readonly ok: true;
  readonly format: 'xml' | 'jws';
  /** The signer's institution code (certificate CN), equal to the document's `from`. */
  readonly institution: string;
  readonly certificate: X509Certificate;
  /** Leaf first, trust anchor last. */
  readonly chain: readonly X509Certificate[];
  /** The signing time: the envelope's `sentAt`. */
  readonly signedAt: Date;
  /** The signature algorithm (XML-DSig URI or JWS `alg`). */
  readonly algorithm: string;
}

/** Why a document is refused: a stable code and a sentence with the specifics. */
export interface VerificationFailure {
  readonly ok: false;
  readonly code: SignatureCode;
  readonly message: string;
}

export type Verification = VerifiedDocument | VerificationFailure;

/** Verification settings. */
export interface VerifyOptions {
  /** Trust anchors and CRLs. */
  readonly trust: TrustStore;
}

/** A failure with the code's sentence followed by `detail`. */
export function failure(code: SignatureCode, detail?: string): VerificationFailure {
  const sentence = signatureCodes[code].description;
  return { ok: false, code, message: detail ? `${sentence} ${detail[0]!.toUpperCase()}${detail.slice(1)}.` : sentence };
}

/** The signer's facts once the signature itself has verified. */
export type SignerCheck = { readonly ok: true; readonly institution: string; readonly chain: readonly KnownCertificate[] } | VerificationFailure;

/**
 * The checks after the cryptography: the leaf chains to an anchor; every certificate of the
 * chain was valid at the signing time and is not on its issuer's CRL (any listed revocation
 * counts, whatever its date: a compromised key can backdate `sentAt`); the leaf may make digital
 * signatures; its CN is an institution code equal to the document's `from`.
 */
export function checkSigner(store: TrustStore, leaf: KnownCertificate, intermediates: readonly KnownCertificate[], facts: SignedFacts): SignerCheck {
  const built = store.chain(leaf, intermediates);
  if (!built.ok) return failure('signature.untrusted-chain', built.reason);
  const { chain } = built;
  const at = facts.signedAt.getTime();
  for (const c of chain) {
    const who = c.facts.commonName ?? c.certificate.subject;
    if (at > c.facts.notAfter.getTime()) return failure('signature.expired', `certificate ${who} expired on ${c.facts.notAfter.toISOString()}, before sentAt ${facts.sentAt}`);
    if (at < c.facts.notBefore.getTime()) return failure('signature.not-yet-valid', `certificate ${who} is valid from ${c.facts.notBefore.toISOString()}, after sentAt ${facts.sentAt}`);
  }
  for (let i = 0; i + 1 < chain.length; i++) {
    const revokedAt = store.revokedAt(chain[i]!, chain[i + 1]!);
    if (revokedAt) return failure('signature.revoked', `certificate ${chain[i]!.facts.commonName ?? '?'} (serial ${chain[i]!.facts.serial}) was revoked on ${revokedAt.toISOString()}`);
  }
  if (!leaf.facts.keyUsage?.has('digitalSignature')) return failure('signature.key-usage', `certificate ${leaf.facts.commonName ?? '?'} has no keyUsage digitalSignature`);
  const cn = leaf.facts.commonName;
  if (cn === undefined || !isInstitutionCode(cn)) return failure('signature.institution-missing', `the subject CN is ${JSON.stringify(cn ?? null)}`);
  if (cn !== facts.from) return failure('signature.sender-mismatch', `the document is from ${facts.from} but signed by ${cn}`);
  return { ok: true, institution: cn, chain };
}

/** True when `key` can make `alg` signatures: RSA for RSA algorithms, EC P-256 for ECDSA. */
export function keyFits(key: KeyObject, family: 'rsa' | 'ec'): boolean {
  if (family === 'rsa') return key.asymmetricKeyType === 'rsa';
  return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
}
