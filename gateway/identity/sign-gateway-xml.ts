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
 */
export function signGatewayXml(xml: string, credential: Credential): string {
  if (FORBIDDEN_DECLARATION.test(xml)) throw new GatewayError('signature.doctype-forbidden', 'refusing to sign a document with a DOCTYPE or entity declaration');
  if (xml.includes(DSIG.ns)) throw new GatewayError('signature.multiple', 'the document already carries an XML-DSig signature; sign the unsigned document');
  const root = parseXml(xml);
  const ec = credential.privateKey.asymmetricKeyType === 'ec';
  const digest = createHash('sha256').update(excC14n(root), 'utf8').digest('base64');
  const signedInfo = `<ds:SignedInfo><ds:CanonicalizationMethod Algorithm="${DSIG.excC14n}"/><ds:SignatureMethod Algorithm="${ec ? DSIG.ecdsaSha256 : DSIG.rsaSha256}"/>`
    + `<ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="${DSIG.enveloped}"/><ds:Transform Algorithm="${DSIG.excC14n}"/></ds:Transforms>`
    + `<ds:DigestMethod Algorithm="${DSIG.sha256}"/><ds:DigestValue>${digest}</ds:DigestValue></ds:Reference></ds:SignedInfo>`;
  // What is signed: the canonical SignedInfo in its place (inside ds:Signature, which declares ds).
  const wrapper = parseXml(`<ds:Signature xmlns:ds="${DSIG.ns}">${signedInfo}</ds:Signature>`);
  const canonical = excC14n(wrapper.children[0] as XElement);
  const value = nodeSign('sha256', Buffer.from(canonical, 'utf8'), ec ? { key: credential.privateKey, dsaEncoding: 'ieee-p1363' } : credential.privateKey).toString('base64');
  const certificates = [credential.certificate, ...credential.chain].map((c) => `<ds:X509Certificate>${c.raw.toString('base64')}</ds:X509Certificate>`).join('');
  const signature = `<ds:Signature xmlns:ds="${DSIG.ns}">${signedInfo}<ds:SignatureValue>${value}</ds:SignatureValue><ds:KeyInfo><ds:X509Data>${certificates}</ds:X509Data></ds:KeyInfo></ds:Signature>`;
  // As xml-crypto serialises it: nothing after the document element's end tag (the encoder's final newline).
  const end = xml.lastIndexOf('</');
  return `${xml.slice(0, end)}${signature}${xml.slice(end).trimEnd()}`;
}
