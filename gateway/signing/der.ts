import { createHash, createPublicKey, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

/**
 * The few DER structures mmgw builds or reads itself. node-forge supplies the ASN.1 codec
 * (its certificate objects handle RSA only); every signature over these structures is made and
 * checked with Node's crypto, which is much faster than forge's RSA and also handles EC keys.
 */
const asn1 = forge.asn1;
const U = asn1.Class.UNIVERSAL;
const T = asn1.Type;

export type Asn1 = forge.asn1.Asn1;

/** OIDs used by the signing code. */
export const OID = {
  sha256WithRSA: '1.2.840.113549.1.1.11',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecPublicKey: '1.2.840.10045.2.1',
  commonName: '2.5.4.3',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  subjectKeyIdentifier: '2.5.29.14',
} as const;

/** A binary string (forge's byte representation) from a Buffer. */
export const bin = (b: Buffer): string => b.toString('binary');
/** A Buffer from forge's binary string. */
export const buf = (s: string): Buffer => Buffer.from(s, 'binary');

/** Encodes an ASN.1 node to DER. */
export function toDer(node: Asn1): Buffer {
  return buf(asn1.toDer(node).getBytes());
}

/** Decodes DER (strictly) into forge's ASN.1 tree. */
export function fromDer(der: Buffer): Asn1 {
  // forge accepts an options object here (its typings only know the boolean form); BIT STRINGs
  // stay opaque so signatures and key bits are read as bytes.
  const decode = asn1.fromDer as unknown as (b: forge.util.ByteBuffer, o: object) => Asn1;
  return decode(forge.util.createBuffer(bin(der)), { strict: true, parseAllBytes: true, decodeBitStrings: false });
}

/** `SEQUENCE { ... }`. */
export const seq = (items: Asn1[]): Asn1 => asn1.create(U, T.SEQUENCE, true, items);
/** An OBJECT IDENTIFIER. */
export const oid = (id: string): Asn1 => asn1.create(U, T.OID, false, asn1.oidToDer(id).getBytes());
/** A non-negative INTEGER from big-endian magnitude bytes. */
export function uint(bytes: Buffer): Asn1 {
  let b = bytes;
  while (b.length > 1 && b[0] === 0) b = b.subarray(1);
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return asn1.create(U, T.INTEGER, false, bin(b));
}
/** A small INTEGER. */
export const int = (n: number): Asn1 => asn1.create(U, T.INTEGER, false, asn1.integerToDer(n).getBytes());
/** An OCTET STRING. */
export const octets = (b: Buffer): Asn1 => asn1.create(U, T.OCTETSTRING, false, bin(b));
/** A BIT STRING with no unused bits. */
export const bits = (b: Buffer): Asn1 => asn1.create(U, T.BITSTRING, false, `\x00${bin(b)}`);
/** A parsed DER blob, embedded as is. */
export const raw = (der: Buffer): Asn1 => fromDer(der);
/** A time as UTCTime before 2050 and GeneralizedTime from then on (RFC 5280 §4.1.2.5). */
export function time(d: Date): Asn1 {
  return d.getUTCFullYear() < 2050
    ? asn1.create(U, T.UTCTIME, false, asn1.dateToUtcTime(d))
    : asn1.create(U, T.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(d));
}

/** The signature AlgorithmIdentifier for a signing key: sha256WithRSAEncryption or ecdsa-with-SHA256. */
export function signatureAlgorithm(key: KeyObject): Asn1 {
  if (key.asymmetricKeyType === 'rsa') return seq([oid(OID.sha256WithRSA), asn1.create(U, T.NULL, false, '')]);
  if (key.asymmetricKeyType === 'ec') return seq([oid(OID.ecdsaWithSHA256)]);
  throw new Error(`unsupported key type ${key.asymmetricKeyType ?? 'unknown'}`);
}

/** `SEQUENCE { tbs, algorithm, BIT STRING signature }`, signed with Node's crypto (certificates, CSRs, CRLs). */
export function signStructure(tbs: Asn1, key: KeyObject): Buffer {
  const tbsDer = toDer(tbs);
  const signature = nodeSign('sha256', tbsDer, key);
  return toDer(seq([tbs, signatureAlgorithm(key), bits(signature)]));
}

/** Checks a `SEQUENCE { tbs, algorithm, signature }` against a public key with Node's crypto. */
export function verifyStructure(der: Buffer, key: KeyObject): boolean {
  const top = fromDer(der);
  const [tbs, alg, sig] = top.value as Asn1[];
  if (!tbs || !alg || !sig) return false;
  const algOid = asn1.derToOid((alg.value as Asn1[])[0]!.value as string);
  if (algOid !== OID.sha256WithRSA && algOid !== OID.ecdsaWithSHA256) return false;
  const sigBytes = buf((sig.value as string).slice(1));
  try {
    return nodeVerify('sha256', toDer(tbs), key, sigBytes);
  } catch {
    return false;
  }
}

/** The Name a certificate is issued to: `CN=<institution>`, `O=<organization>`, `C=CN`. */
export function name(commonName: string, organization = 'mmgw'): Asn1 {
  const rdn = (type: string, value: string): Asn1 =>
    asn1.create(U, T.SET, true, [seq([oid(type), asn1.create(U, T.UTF8, false, forge.util.encodeUtf8(value))])]);
  return seq([
    asn1.create(U, T.SET, true, [seq([oid('2.5.4.6'), asn1.create(U, T.PRINTABLESTRING, false, 'CN')])]),
    rdn('2.5.4.10', organization),
    rdn(OID.commonName, commonName),
  ]);
}

/** The first CN of a Name node, or undefined. */
export function commonNameOf(nameNode: Asn1): string | undefined {
  for (const set of nameNode.value as Asn1[]) {
    for (const atv of set.value as Asn1[]) {
      const [type, value] = atv.value as Asn1[];
      if (type && value && asn1.derToOid(type.value as string) === OID.commonName) return forge.util.decodeUtf8(value.value as string);
    }
  }
  return undefined;
}

/** A SubjectPublicKeyInfo node from a Node public key. */
export function spki(key: KeyObject): Asn1 {
  return raw(key.export({ type: 'spki', format: 'der' }));
}

/** The public key of a SubjectPublicKeyInfo node. */
export function publicKeyOf(spkiNode: Asn1): KeyObject {
  return createPublicKey({ key: toDer(spkiNode), format: 'der', type: 'spki' });
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(key: KeyObject): Buffer {
  const node = spki(key);
  const bitString = (node.value as Asn1[])[1]!.value as string;
  return createHash('sha1').update(buf(bitString.slice(1))).digest();
}

/** Decodes an OID node. */
export const oidOf = (node: Asn1): string => asn1.derToOid(node.value as string);

/** The tag numbers used when reading. */
export const TAG = { SEQUENCE: T.SEQUENCE, INTEGER: T.INTEGER, BOOLEAN: T.BOOLEAN, BITSTRING: T.BITSTRING, OCTETSTRING: T.OCTETSTRING, UTCTIME: T.UTCTIME, GENERALIZEDTIME: T.GENERALIZEDTIME, UNIVERSAL: U, CONTEXT: asn1.Class.CONTEXT_SPECIFIC } as const;

/** Reads a UTCTime or GeneralizedTime node. */
export function dateOf(node: Asn1): Date {
  return node.type === T.UTCTIME ? asn1.utcTimeToDate(node.value as string) : asn1.generalizedTimeToDate(node.value as string);
}

/** forge's ASN.1 node constructor, for the few structures built elsewhere. */
export const create = asn1.create;
