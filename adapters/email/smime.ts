import { createHash, sign as nodeSign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import MimeNode from 'nodemailer/lib/mime-node';
import type { Credential } from '../../gateway/signing/credential';

/**
 * S/MIME signing of the gateway's outgoing delivery mail (RFC 8551 multipart/signed, detached
 * CMS/PKCS#7 SignedData, SHA-256), with the gateway's own credential.
 *
 * The SignedData is built by node-forge's pkcs7 (content info, digest algorithms, the signed
 * attributes contentType / messageDigest / signingTime). forge signs with RSA keys only and
 * reads only RSA certificates, so three things are done beside it: the signature over the
 * signed attributes is made by Node's crypto (RSA PKCS#1 v1.5 or ECDSA, SHA-256, whichever the
 * gateway's key is), the signer's issuer and serial number are copied from the certificate's
 * own DER, and the certificate (and chain) are put in the SignedData as their DER.
 */

const asn1 = forge.asn1;
type Asn1 = forge.asn1.Asn1;

const OIDS = {
  data: '1.2.840.113549.1.7.1',
  sha256: '2.16.840.1.101.3.4.2.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

const bin = (b: Buffer): string => b.toString('binary');
const buf = (s: string): Buffer => Buffer.from(s, 'binary');

/** The issuer Name and serialNumber nodes of a DER certificate (tbsCertificate fields). */
function issuerAndSerial(certDer: Buffer): Asn1 {
  const cert = asn1.fromDer(bin(certDer));
  const tbs = (cert.value as Asn1[])[0]!;
  const fields = tbs.value as Asn1[];
  // tbsCertificate: [0] version (explicit, optional), serialNumber, signature, issuer, …
  const at = fields[0]!.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [fields[at + 2]!, fields[at]!]);
}

/** The signature algorithm identifier of SignerInfo for `key`: rsaEncryption (NULL parameters) or ecdsa-with-SHA256 (no parameters, RFC 5758). */
function signatureAlgorithm(key: KeyObject): Asn1 {
  if (key.asymmetricKeyType === 'rsa') {
    return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(OIDS.rsaEncryption).getBytes()),
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''),
    ]);
  }
  if (key.asymmetricKeyType === 'ec') {
    return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(OIDS.ecdsaWithSha256).getBytes()),
    ]);
  }
  throw new Error(`S/MIME: the gateway's ${String(key.asymmetricKeyType)} key cannot sign (RSA or EC only)`);
}

/**
 * A detached CMS SignedData (DER) over `content` with `credential`: SHA-256, signed attributes
 * contentType, messageDigest and signingTime (`at`), the signer's certificate and chain included.
 */
export function signDetached(content: Buffer, credential: Credential, at: Date): Buffer {
  const p7 = forge.pkcs7.createSignedData();
  p7.content = forge.util.createBuffer(bin(content));
  let signature: Buffer | undefined;
  // forge calls key.sign(md) once the signed attributes are in place; the signature is made by
  // Node's crypto over their DER (as a SET, RFC 5652 §5.4), forge's digest checked against it.
  const signer = {
    sign(md: forge.md.MessageDigest): string {
      const s = (p7 as unknown as { signers: { authenticatedAttributesAsn1: Asn1 }[] }).signers[0]!;
      const set = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, s.authenticatedAttributesAsn1.value as Asn1[]);
      const der = buf(asn1.toDer(set).getBytes());
      if (createHash('sha256').update(der).digest('binary') !== md.digest().getBytes()) throw new Error('S/MIME: the signed attributes do not match forge\'s digest');
      signature = nodeSign('sha256', der, credential.privateKey);
      return bin(signature);
    },
  };
  (p7.addSigner as (o: unknown) => void)({
    key: signer,
    issuer: [],
    serialNumber: '01',
    digestAlgorithm: OIDS.sha256,
    authenticatedAttributes: [
      { type: OIDS.contentType, value: OIDS.data },
      { type: OIDS.messageDigest },
      { type: OIDS.signingTime, value: at },
    ],
  });
  p7.sign({ detached: true });
  if (signature === undefined) throw new Error('S/MIME: forge did not ask for the signature');
  const info = (p7 as unknown as { signerInfos: Asn1[] }).signerInfos[0]!;
  const fields = info.value as Asn1[];
  // SignerInfo: version, issuerAndSerialNumber, digestAlgorithm, [0] signedAttrs, signatureAlgorithm, signature
  fields[1] = issuerAndSerial(Buffer.from(credential.certificate.raw));
  fields[4] = signatureAlgorithm(credential.privateKey);
  const root = p7.toAsn1();
  const signedData = ((root.value as Asn1[])[1]!.value as Asn1[])[0]!;
  const certs = [credential.certificate, ...credential.chain].map((c) => asn1.fromDer(bin(Buffer.from(c.raw))));
  // [0] IMPLICIT certificates, after version, digestAlgorithms and encapContentInfo.
  (signedData.value as Asn1[]).splice(3, 0, asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, certs));
  return buf(asn1.toDer(root).getBytes());
}

/** Text with every line ending as CRLF (the canonical form S/MIME signs, RFC 8551 §3.1.1). */
export function canonicalLines(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** A whole MIME entity with bare LF line endings turned into CRLF (bytes otherwise unchanged). */
function canonicalEntity(entity: Buffer): Buffer {
  return Buffer.from(entity.toString('binary').replace(/\r?\n/g, '\r\n'), 'binary');
}

/** What the signed mail carries. */
export interface SignedMailParts {
  /** Top-level header fields (From, To, Subject, Message-ID, …); Date is set from `at`. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body text, in UTF-8. */
  readonly text: string;
  readonly attachments: readonly { readonly filename: string; readonly content: Buffer; readonly contentType: string }[];
  readonly credential: Credential;
  readonly at: Date;
}

/**
 * A complete RFC 5322 message, S/MIME-signed: `multipart/signed; protocol="application/pkcs7-signature";
 * micalg=sha-256` whose first part is the multipart/mixed entity (the text, then each attachment
 * base64-encoded byte for byte) and whose second is the detached signature `smime.p7s`. Every
 * part is 7-bit (quoted-printable or base64), so no relay re-encodes what was signed.
 */
export async function buildSignedMail(parts: SignedMailParts): Promise<Buffer> {
  const scratch = new MimeNode('multipart/signed');
  const inner = scratch.createChild('multipart/mixed');
  inner.createChild('text/plain; charset=utf-8').setHeader('Content-Transfer-Encoding', 'base64').setContent(canonicalLines(parts.text));
  for (const a of parts.attachments) {
    inner.createChild(a.contentType, { filename: a.filename }).setHeader('Content-Transfer-Encoding', 'base64').setContent(a.content);
  }
  const entity = canonicalEntity(await inner.build());
  const p7s = signDetached(entity, parts.credential, parts.at);
  const root = new MimeNode('multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256');
  root.setHeader({ ...parts.headers, Date: parts.at.toUTCString().replace(/GMT/, '+0000') });
  root.createChild(false).setRaw(entity);
  root.createChild('application/pkcs7-signature', { filename: 'smime.p7s' }).setHeader('Content-Description', 'S/MIME Cryptographic Signature').setContent(p7s);
  return canonicalEntity(await root.build());
}
