import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { certificateFacts, readCertificates, type CertificateFacts } from './certificates';
import { parseCrl, type ParsedCrl } from './crl';
import * as der from './der';

/** A certificate with the facts verification reads, parsed once. */
export interface KnownCertificate {
  readonly certificate: X509Certificate;
  readonly facts: CertificateFacts;
  /** SHA-256 of the DER, hex. */
  readonly fingerprint: string;
  /** The subject public key, extracted once. */
  readonly publicKey: KeyObject;
}

/** The result of building a chain: leaf first, trust anchor last; or why there is none. */
export type ChainResult = { readonly ok: true; readonly chain: readonly KnownCertificate[] } | { readonly ok: false; readonly reason: string };

/** How many parsed certificates and built chains are kept. @defaultValue 10000 */
const CACHE_LIMIT = 10_000;
/** The longest chain accepted, anchor included. */
const MAX_CHAIN = 5;

function remember<K, V>(map: Map<K, V>, key: K, value: V): V {
  if (map.size >= CACHE_LIMIT) map.delete(map.keys().next().value as K);
  map.set(key, value);
  return value;
}

/**
 * The trust anchors of this gateway (several roots side by side, e.g. a national CA and the
 * dev CA) and the CRLs of their issuers. It caches what is safe to cache: parsed certificates
 * by their DER, and built chains by the DER of the leaf and the intermediates offered (a chain
 * depends only on those and the anchors, which are fixed once added; adding an anchor clears
 * it). Validity, revocation and the signer checks are evaluated on every verification.
 */
export class TrustStore {
  private readonly anchors: KnownCertificate[] = [];
  private readonly parsed = new Map<string, KnownCertificate>();
  private readonly chains = new Map<string, ChainResult>();
  private readonly crls = new Map<string, ParsedCrl>();

  /** A store trusting `anchors` (PEM text, possibly several certificates, or X509Certificate objects). */
  constructor(anchors: readonly (X509Certificate | string | Buffer)[] = []) {
    for (const a of anchors) this.addAnchors(a);
  }

  /** Adds one or more trust anchors. */
  addAnchors(anchor: X509Certificate | string | Buffer): void {
    const certs = anchor instanceof X509Certificate ? [anchor] : readCertificates(anchor);
    for (const c of certs) {
      const known = this.know(c);
      if (!this.anchors.some((a) => a.fingerprint === known.fingerprint)) this.anchors.push(known);
    }
    this.chains.clear();
  }

  /** The trust anchors. */
  get anchorCertificates(): readonly X509Certificate[] {
    return this.anchors.map((a) => a.certificate);
  }

  /**
   * Imports a CRL (PEM or DER). It must be signed by one of the anchors (checked with Node's
   * crypto); a newer CRL of the same issuer replaces an older one. Throws `pki.crl-invalid`.
   */
  addCrl(data: string | Buffer): ParsedCrl {
    const crl = parseCrl(data);
    const issuer = this.anchors.find((a) => a.facts.subjectDer.equals(crl.issuerDer) && der.verifyStructure(crl.der, a.certificate.publicKey));
    if (!issuer) throw new GatewayError('pki.crl-invalid', 'the CRL is not signed by any trust anchor of this store');
    const current = this.crls.get(issuer.fingerprint);
    if (!current || current.thisUpdate <= crl.thisUpdate) this.crls.set(issuer.fingerprint, crl);
    return crl;
  }

  /** The revocation date of `cert` in its issuer's CRL, if any. */
  revokedAt(cert: KnownCertificate, issuer: KnownCertificate): Date | undefined {
    return this.crls.get(issuer.fingerprint)?.revoked.get(cert.facts.serial);
  }

  /** A certificate from its DER (or base64 of it), parsed once and cached. */
  certificate(derOrBase64: Buffer | string): KnownCertificate {
    const key = typeof derOrBase64 === 'string' ? (/\s/.test(derOrBase64) ? derOrBase64.replace(/\s+/g, '') : derOrBase64) : derOrBase64.toString('base64');
    const hit = this.parsed.get(key);
    if (hit) return hit;
    const bytes = typeof derOrBase64 === 'string' ? Buffer.from(key, 'base64') : derOrBase64;
    return this.know(new X509Certificate(bytes), key);
  }

  private know(cert: X509Certificate, key = cert.raw.toString('base64')): KnownCertificate {
    const hit = this.parsed.get(key);
    if (hit) return hit;
    const known = { certificate: cert, facts: certificateFacts(cert), fingerprint: createHash('sha256').update(cert.raw).digest('hex'), publicKey: cert.publicKey };
    return remember(this.parsed, key, known);
  }

  /**
   * Builds and checks the chain from `leaf` through `intermediates` (any order) to an anchor:
   * each certificate is issued by the next (names and signature, checked with Node's crypto),
   * and every issuer below the anchor is a CA. Cached by the DER of leaf and intermediates.
   */
  chain(leaf: KnownCertificate, intermediates: readonly KnownCertificate[] = []): ChainResult {
    const key = [leaf.fingerprint, ...intermediates.map((i) => i.fingerprint)].join(',');
    const hit = this.chains.get(key);
    if (hit) return hit;
    return remember(this.chains, key, this.build(leaf, intermediates));
  }

  private build(leaf: KnownCertificate, intermediates: readonly KnownCertificate[]): ChainResult {
    const chain = [leaf];
    let current = leaf;
    for (let depth = 1; depth < MAX_CHAIN; depth++) {
      if (this.anchors.some((a) => a.fingerprint === current.fingerprint)) return { ok: true, chain };
      const anchor = this.anchors.find((a) => issued(a, current));
      if (anchor) return { ok: true, chain: [...chain, anchor] };
      const next = intermediates.find((i) => !chain.includes(i) && i.facts.isCa && issued(i, current));
      if (!next) break;
      chain.push(next);
      current = next;
    }
    const cn = leaf.facts.commonName ?? leaf.certificate.subject;
    return { ok: false, reason: `no path from ${cn} (issued by ${leaf.certificate.issuer.replace(/\n/g, ', ')}) to the ${this.anchors.length} trust anchor(s)` };
  }
}

function issued(issuer: KnownCertificate, subject: KnownCertificate): boolean {
  if (!issuer.facts.subjectDer.equals(subject.facts.issuerDer)) return false;
  if (issuer.facts.keyUsage && !issuer.facts.keyUsage.has('keyCertSign')) return false;
  try {
    return subject.certificate.verify(issuer.certificate.publicKey);
  } catch {
    return false;
  }
}
