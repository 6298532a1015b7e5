import { X509Certificate, type KeyObject } from 'node:crypto';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { certificateFacts, normaliseSerial } from './certificates';
import * as der from './der';

/** One revoked certificate. */
export interface Revocation {
  /** Serial number, hex (any case, leading zeros allowed). */
  readonly serial: string;
  readonly revokedAt: Date;
}

/** A parsed, not yet trusted, certificate revocation list. */
export interface ParsedCrl {
  readonly der: Buffer;
  /** DER of the issuer Name. */
  readonly issuerDer: Buffer;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  /** Revoked serials (normalised uppercase hex) and when. */
  readonly revoked: ReadonlyMap<string, Date>;
}

/** Issues an X.509 v2 CRL (PEM) signed by the CA's key with Node's crypto. */
export function createCrl(
  issuer: { certificate: X509Certificate; privateKey: KeyObject },
  revoked: readonly Revocation[],
  thisUpdate: Date,
  nextUpdate: Date,
): string {
  const issuerName = der.fromDer(certificateFacts(issuer.certificate).subjectDer);
  const entries = revoked.map((r) => der.seq([der.uint(Buffer.from(r.serial.length % 2 ? `0${r.serial}` : r.serial, 'hex')), der.time(r.revokedAt)]));
  const fields = [der.int(1), der.signatureAlgorithm(issuer.privateKey), issuerName, der.time(thisUpdate), der.time(nextUpdate)];
  if (entries.length > 0) fields.push(der.seq(entries));
  const body = der.signStructure(der.seq(fields), issuer.privateKey).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN X509 CRL-----\n${body}\n-----END X509 CRL-----\n`;
}

/** Reads a PEM or DER CRL (not its signature: the trust store checks that); throws `pki.crl-invalid`. */
export function parseCrl(data: string | Buffer): ParsedCrl {
  try {
    const text = typeof data === 'string' ? data : data.toString('latin1');
    const m = /-----BEGIN X509 CRL-----([\s\S]+?)-----END X509 CRL-----/.exec(text);
    const bytes = m ? Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64') : typeof data === 'string' ? Buffer.alloc(0) : data;
    const top = der.fromDer(bytes);
    const fields = ((top.value as der.Asn1[])[0]!.value as der.Asn1[]).slice();
    if (fields[0]!.type === der.TAG.INTEGER) fields.shift();
    const [, issuer, thisUpdate, maybeNext, ...rest] = fields;
    let nextUpdate: Date | undefined;
    let list: der.Asn1 | undefined;
    if (maybeNext && (maybeNext.type === der.TAG.UTCTIME || maybeNext.type === der.TAG.GENERALIZEDTIME) && maybeNext.tagClass === der.TAG.UNIVERSAL) {
      nextUpdate = der.dateOf(maybeNext);
      list = rest[0];
    } else {
      list = maybeNext;
    }
    const revoked = new Map<string, Date>();
    if (list && list.tagClass === der.TAG.UNIVERSAL && list.type === der.TAG.SEQUENCE) {
      for (const entry of list.value as der.Asn1[]) {
        const [serial, when] = entry.value as der.Asn1[];
        revoked.set(normaliseSerial(der.buf(serial!.value as string).toString('hex')), der.dateOf(when!));
      }
    }
    return { der: bytes, issuerDer: der.toDer(issuer!), thisUpdate: der.dateOf(thisUpdate!), nextUpdate, revoked };
  } catch (e) {
    throw new GatewayError('pki.crl-invalid', `cannot read the CRL: ${e instanceof Error ? e.message : String(e)}`);
  }
}
