import { createHash, sign as nodeSign } from 'node:crypto';
import { GatewayError } from '../../contracts/errors/gateway-error';
import type { Credential } from '../signing/credential';
import { excC14n } from '../signing/xml-c14n';
import { DSIG } from '../signing/xml-dsig-algorithms';
import { parseXml, type XElement } from '../signing/xml-tree';

const FORBIDDEN_DECLARATION = /<!(DOCTYPE|ENTITY)/i;

/**
 * The gateway's enveloped XML-DSig over a document it wrote itself (a Receipt or Rejection from
 * contracts' encoder): the same signature, byte for byte, as gateway/signing's signXml
 * (xml-crypto) makes — Reference URI="" with enveloped-signature then exclusive c14n, SHA-256,
 * ECDSA-SHA256 (r‖s) or RSA-SHA256 by the key type, the certificate and any intermediates in
 * KeyInfo/X509Data, `ds:Signature` appended as the last child of the document element — built
 * with mmgw's own parser and canonicaliser (those the verifier uses) instead of xml-crypto's
 * xmldom, XPath and per-call PEM parsing, which cost ~5 ms per Receipt (issue 4 item 8). The
 * test signs with RSA (deterministic) and compares with signXml byte for byte.
 *
 * `canonical`: the exclusive canonical form of the document element when the caller wrote the
 * document so that it is known (intake's Receipts, receiptCanonical), saving the parse and the
 * canonicalisation (issue 4 item 8); otherwise computed here. The canonical SignedInfo is made
 * once per algorithm by the canonicaliser with a placeholder for the digest (base64, which c14n
 * writes unchanged) and filled in per document.
 */
export function signGatewayXml(xml: string, credential: Credential, canonical?: string): string {
  if (FORBIDDEN_DECLARATION.test(xml)) throw new GatewayError('signature.doctype-forbidden', 'refusing to sign a document with a DOCTYPE or entity declaration');
  if (xml.includes(DSIG.ns)) throw new GatewayError('signature.multiple', 'the document already carries an XML-DSig signature; sign the unsigned document');
  const ec = credential.privateKey.asymmetricKeyType === 'ec';
  const digest = createHash('sha256').update(canonical ?? excC14n(parseXml(xml)), 'utf8').digest('base64');
  const signedInfo = signedInfoOf(ec, digest);
  // What is signed: the canonical SignedInfo in its place (inside ds:Signature, which declares ds).
  const value = nodeSign('sha256', Buffer.from(canonicalSignedInfo(ec, digest), 'utf8'), ec ? { key: credential.privateKey, dsaEncoding: 'ieee-p1363' } : credential.privateKey).toString('base64');
  const certificates = [credential.certificate, ...credential.chain].map((c) => `<ds:X509Certificate>${c.raw.toString('base64')}</ds:X509Certificate>`).join('');
  const signature = `<ds:Signature xmlns:ds="${DSIG.ns}">${signedInfo}<ds:SignatureValue>${value}</ds:SignatureValue><ds:KeyInfo><ds:X509Data>${certificates}</ds:X509Data></ds:KeyInfo></ds:Signature>`;
  // As xml-crypto serialises it: nothing after the document element's end tag (the encoder's final newline).
  const end = xml.lastIndexOf('</');
  return `${xml.slice(0, end)}${signature}${xml.slice(end).trimEnd()}`;
}

function signedInfoOf(ec: boolean, digest: string): string {
  return `<ds:SignedInfo><ds:CanonicalizationMethod Algorithm="${DSIG.excC14n}"/><ds:SignatureMethod Algorithm="${ec ? DSIG.ecdsaSha256 : DSIG.rsaSha256}"/>`
    + `<ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="${DSIG.enveloped}"/><ds:Transform Algorithm="${DSIG.excC14n}"/></ds:Transforms>`
    + `<ds:DigestMethod Algorithm="${DSIG.sha256}"/><ds:DigestValue>${digest}</ds:DigestValue></ds:Reference></ds:SignedInfo>`;
}

/** The canonical SignedInfo around a placeholder digest, split at it; per algorithm (EC or RSA). */
const canonicalParts = new Map<boolean, readonly [string, string]>();
const PLACEHOLDER = 'DIGEST';

function canonicalSignedInfo(ec: boolean, digest: string): string {
  let parts = canonicalParts.get(ec);
  if (parts === undefined) {
    const wrapper = parseXml(`<ds:Signature xmlns:ds="${DSIG.ns}">${signedInfoOf(ec, PLACEHOLDER)}</ds:Signature>`);
    const text = excC14n(wrapper.children[0] as XElement);
    const at = text.indexOf(PLACEHOLDER);
    parts = [text.slice(0, at), text.slice(at + PLACEHOLDER.length)] as const;
    canonicalParts.set(ec, parts);
  }
  return `${parts[0]}${digest}${parts[1]}`;
}
