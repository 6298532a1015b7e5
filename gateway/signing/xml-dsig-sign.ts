import { SignedXml } from 'xml-crypto';
import { GatewayError } from '../../contracts/errors/gateway-error';
import type { Credential } from './credential';
import { DSIG, EcdsaSha256 } from './xml-dsig-algorithms';

const FORBIDDEN_DECLARATION = /<!(DOCTYPE|ENTITY)/i;

/**
 * Signs an XML document with an enveloped XML-DSig (xml-crypto; the RSA/ECDSA operation itself
 * is Node's crypto): Reference URI="" over the whole document, enveloped-signature then exclusive
 * c14n, SHA-256, RSA-SHA256 or ECDSA-SHA256 by the key type, the signer's certificate (and any
 * intermediates) in KeyInfo/X509Data, and `ds:Signature` appended as the last child of the
 * document element. Refuses a document that is already signed or declares a DOCTYPE/entity.
 */
export function signXml(xml: string, credential: Credential): string {
  if (FORBIDDEN_DECLARATION.test(xml)) throw new GatewayError('signature.doctype-forbidden', 'refusing to sign a document with a DOCTYPE or entity declaration');
  if (xml.includes(DSIG.ns)) throw new GatewayError('signature.multiple', 'the document already carries an XML-DSig signature; sign the unsigned document');
  const ec = credential.privateKey.asymmetricKeyType === 'ec';
  const sig = new SignedXml({
    privateKey: credential.privateKey,
    publicCert: [credential.certificate, ...credential.chain].map((c) => c.toString()).join(''),
    signatureAlgorithm: ec ? DSIG.ecdsaSha256 : DSIG.rsaSha256,
    canonicalizationAlgorithm: DSIG.excC14n,
  });
  if (ec) sig.SignatureAlgorithms[DSIG.ecdsaSha256] = EcdsaSha256;
  sig.addReference({ xpath: '/*', transforms: [DSIG.enveloped, DSIG.excC14n], digestAlgorithm: DSIG.sha256, isEmptyUri: true });
  sig.computeSignature(xml, { prefix: 'ds', location: { reference: '/*', action: 'append' } });
  return sig.getSignedXml();
}
