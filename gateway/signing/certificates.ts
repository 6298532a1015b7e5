import { randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { GatewayError } from '../../contracts/errors/gateway-error';
import * as der from './der';

/** Who a certificate is for, what it may do and for how long. */
export interface CertificateRequest {
  /** The subject CN: an institution code, or the CA's name. */
  readonly commonName: string;
  /** The subject O. @defaultValue `mmgw` */
  readonly organization?: string;
  /** The subject's public key. */
  readonly publicKey: KeyObject;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** A CA certificate (keyCertSign, cRLSign, basicConstraints cA) instead of a signer's (digitalSignature, nonRepudiation). */
  readonly ca?: boolean;
  /** Key usage bits to set instead of the defaults (tests use this to make a certificate without digitalSignature). */
  readonly keyUsage?: readonly KeyUsage[];
  /** 16 random bytes unless given. */
  readonly serial?: Buffer;
}

/** The issuer: its certificate (for the issuer Name) and private key; none for a self-signed root. */
export interface Issuer {
  readonly certificate: X509Certificate;
  readonly privateKey: KeyObject;
}

/** The keyUsage bits of RFC 5280 §4.2.1.3 that mmgw uses, by bit number. */
export const KEY_USAGE_BITS = { digitalSignature: 0, nonRepudiation: 1, keyCertSign: 5, cRLSign: 6 } as const;
export type KeyUsage = keyof typeof KEY_USAGE_BITS;

function keyUsageExtension(usages: readonly KeyUsage[]): der.Asn1 {
  let mask = 0;
  for (const u of usages) mask |= 0x80 >> KEY_USAGE_BITS[u];
  let unused = 0;
  while (unused < 7 && mask !== 0 && !(mask & (1 << unused))) unused++;
  const bitString = der.create(der.TAG.UNIVERSAL, der.TAG.BITSTRING, false, String.fromCharCode(unused, mask));
  return extension(der.OID.keyUsage, true, bitString);
}

function extension(id: string, critical: boolean, value: der.Asn1): der.Asn1 {
  const parts = [der.oid(id)];
  if (critical) parts.push(der.create(der.TAG.UNIVERSAL, der.TAG.BOOLEAN, false, '\xff'));
  parts.push(der.octets(der.toDer(value)));
  return der.seq(parts);
}

/**
 * Issues an X.509 v3 certificate. The structure is built with node-forge's ASN.1 codec and
 * signed with Node's crypto (sha256WithRSAEncryption or ecdsa-with-SHA256 by the issuer's key),
 * so RSA and EC subjects and issuers are all supported. Without an issuer it is self-signed by
 * `selfKey`.
 */
export function issueCertificate(req: CertificateRequest, issuer: Issuer | { selfKey: KeyObject }): X509Certificate {
  const signingKey = 'selfKey' in issuer ? issuer.selfKey : issuer.privateKey;
  const subject = der.name(req.commonName, req.organization);
  const issuerName = 'selfKey' in issuer ? subject : tbsParts(issuer.certificate).subject;
  const usages = req.keyUsage ?? (req.ca ? ['digitalSignature', 'keyCertSign', 'cRLSign'] : ['digitalSignature', 'nonRepudiation']);
  const basic = der.seq(req.ca ? [der.create(der.TAG.UNIVERSAL, der.TAG.BOOLEAN, false, '\xff')] : []);
  const serial = Buffer.from(req.serial ?? randomBytes(16));
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  const tbs = der.seq([
    der.create(der.TAG.CONTEXT, 0, true, [der.int(2)]),
    der.uint(serial),
    der.signatureAlgorithm(signingKey),
    issuerName,
    der.seq([der.time(req.notBefore), der.time(req.notAfter)]),
    subject,
    der.spki(req.publicKey),
    der.create(der.TAG.CONTEXT, 3, true, [
      der.seq([
        extension(der.OID.basicConstraints, true, basic),
        keyUsageExtension(usages),
        extension(der.OID.subjectKeyIdentifier, false, der.octets(der.keyIdentifier(req.publicKey))),
      ]),
    ]),
  ]);
  return new X509Certificate(der.signStructure(tbs, signingKey));
}

/** The parts of a certificate that Node's X509Certificate does not expose. */
export interface CertificateFacts {
  /** The subject CN (for signers: the institution code). */
  readonly commonName: string | undefined;
  /** Uppercase hex, no leading zeros: the form CRLs are compared in. */
  readonly serial: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The keyUsage bits set, or undefined when the extension is absent. */
  readonly keyUsage: ReadonlySet<KeyUsage> | undefined;
  /** basicConstraints cA. */
  readonly isCa: boolean;
  /** DER of the issuer and subject Names. */
  readonly issuerDer: Buffer;
  readonly subjectDer: Buffer;
}

function tbsParts(cert: X509Certificate): { subject: der.Asn1; issuer: der.Asn1; fields: der.Asn1[] } {
  const top = der.fromDer(cert.raw);
  const tbs = (top.value as der.Asn1[])[0]!;
  const fields = (tbs.value as der.Asn1[]).slice();
  if (fields[0]!.tagClass === der.TAG.CONTEXT && fields[0]!.type === 0) fields.shift();
  // serial, signature, issuer, validity, subject, spki, [extensions]
  return { issuer: fields[2]!, subject: fields[4]!, fields };
}

/** Normalises a serial number to uppercase hex without leading zeros. */
export function normaliseSerial(hex: string): string {
  return hex.replace(/^(00)+/, '').toUpperCase() || '0';
}

/** Reads what verification needs from a certificate's DER (run once per certificate; callers cache it). */
export function certificateFacts(cert: X509Certificate): CertificateFacts {
  const { issuer, subject, fields } = tbsParts(cert);
  const validity = fields[3]!.value as der.Asn1[];
  let keyUsage: Set<KeyUsage> | undefined;
  let isCa = false;
  const extsWrapper = fields.find((f) => f.tagClass === der.TAG.CONTEXT && f.type === 3);
  for (const ext of extsWrapper ? ((extsWrapper.value as der.Asn1[])[0]!.value as der.Asn1[]) : []) {
    const parts = ext.value as der.Asn1[];
    const id = der.oidOf(parts[0]!);
    const value = der.fromDer(der.buf(parts[parts.length - 1]!.value as string));
    if (id === der.OID.keyUsage) {
      const bytes = (value.value as string).slice(1);
      keyUsage = new Set();
      for (const [usage, bit] of Object.entries(KEY_USAGE_BITS) as [KeyUsage, number][]) {
        const byte = bytes.charCodeAt(bit >> 3);
        if (!Number.isNaN(byte) && byte & (0x80 >> (bit & 7))) keyUsage.add(usage);
      }
    } else if (id === der.OID.basicConstraints) {
      const first = (value.value as der.Asn1[])[0];
      isCa = first !== undefined && first.type === der.TAG.BOOLEAN && first.value !== '\x00';
    }
  }
  return {
    commonName: der.commonNameOf(subject),
    serial: normaliseSerial(cert.serialNumber),
    notBefore: der.dateOf(validity[0]!),
    notAfter: der.dateOf(validity[1]!),
    keyUsage,
    isCa,
    issuerDer: der.toDer(issuer),
    subjectDer: der.toDer(subject),
  };
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate of a PEM file (in order), or the one certificate of a DER file; throws `pki.certificate-unreadable`. */
export function readCertificates(data: string | Buffer): X509Certificate[] {
  const text = typeof data === 'string' ? data : data.toString('latin1');
  const blocks = text.match(PEM_CERT);
  try {
    if (blocks) return blocks.map((b) => new X509Certificate(b));
    if (typeof data !== 'string') return [new X509Certificate(data)];
  } catch (e) {
    throw new GatewayError('pki.certificate-unreadable', `cannot read the certificate: ${e instanceof Error ? e.message : String(e)}`);
  }
  throw new GatewayError('pki.certificate-unreadable', 'no PEM certificate (-----BEGIN CERTIFICATE-----) found');
}

/** A certificate as PEM text. */
export function certificatePem(cert: X509Certificate): string {
  return cert.toString();
}
