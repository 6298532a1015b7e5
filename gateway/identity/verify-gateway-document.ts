import type { X509Certificate } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { flattenedVerify } from 'jose';
import { SignedXml } from 'xml-crypto';
import { decode } from '../../contracts/codec/decode';
import type { MessageDocument } from '../../contracts/codec/message-document';
import { formatOf } from '../signing/documents';
import { DSIG, EcdsaSha256 } from '../signing/xml-dsig-algorithms';
import { GATEWAY_CODE } from './gateway-identity';

/** What checking a gateway-signed document found. */
export type GatewayDocumentCheck = { readonly ok: true; readonly document: MessageDocument } | { readonly ok: false; readonly reason: string };

function xmlSignatureValid(xml: string, certificate: X509Certificate): boolean {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const nodes = doc.getElementsByTagNameNS(DSIG.ns, 'Signature');
  if (nodes.length !== 1) return false;
  const sig = new SignedXml({ publicCert: certificate.toString() });
  sig.SignatureAlgorithms[DSIG.ecdsaSha256] = EcdsaSha256;
  sig.loadSignature(nodes[0] as unknown as Node);
  return sig.checkSignature(xml);
}

/**
 * Checks a Receipt or Rejection as its receiver does, against the gateway's certificate it
 * knows (pinned, not chained): an enveloped XML-DSig (xml-crypto) or a flattened JWS (jose) made
 * with that certificate's key, and `from` is `mmgw`. Never throws.
 */
export async function verifyGatewayDocument(bytes: Buffer, certificate: X509Certificate): Promise<GatewayDocumentCheck> {
  const text = bytes.toString('utf8');
  try {
    const format = formatOf(text);
    if (format === 'xml') {
      if (!xmlSignatureValid(text, certificate)) return { ok: false, reason: 'the XML-DSig does not verify with the gateway certificate' };
    } else if (format === 'json') {
      const jws = JSON.parse(text) as { protected: string; payload: string; signature: string };
      await flattenedVerify(jws, certificate.publicKey);
    } else {
      return { ok: false, reason: 'neither XML nor JSON' };
    }
  } catch (e) {
    return { ok: false, reason: `the signature does not verify: ${e instanceof Error ? e.message : String(e)}` };
  }
  const decoded = decode(bytes);
  if (decoded.document === undefined) return { ok: false, reason: 'the signed document cannot be read' };
  if (decoded.document.from !== GATEWAY_CODE) return { ok: false, reason: `the document is from ${String(decoded.document.from)}, not ${GATEWAY_CODE}` };
  return { ok: true, document: decoded.document };
}
