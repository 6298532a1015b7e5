import { X509Certificate } from 'node:crypto';
import { normaliseSerial } from '../../gateway/signing/certificates';

/** The signer's certificate as printed in the authenticity statement. */
export interface SignerCertificate {
  readonly subject: string;
  readonly serial: string;
  readonly issuer: string;
}

const XML_CERT = /<(?:[A-Za-z][\w.-]*:)?X509Certificate>([A-Za-z0-9+/=\s]+)<\/(?:[A-Za-z][\w.-]*:)?X509Certificate>/;

const oneLine = (name: string): string => name.split('\n').filter((p) => p !== '').join(', ');

function facts(der: Buffer): SignerCertificate | undefined {
  try {
    const cert = new X509Certificate(der);
    return { subject: oneLine(cert.subject), serial: normaliseSerial(cert.serialNumber), issuer: oneLine(cert.issuer) };
  } catch {
    return undefined;
  }
}

/**
 * The signer's (leaf) certificate carried by stored signed bytes: the first X509Certificate of an
 * XML-DSig KeyInfo, or `x5c[0]` of a flattened JWS's protected header. Only read for printing:
 * intake verified the signature, chain and signer when it accepted the message. Undefined when
 * the bytes carry none.
 */
export function signerCertificateOf(bytes: Buffer, format: 'xml' | 'json'): SignerCertificate | undefined {
  const text = bytes.toString('utf8');
  if (format === 'xml') {
    const m = XML_CERT.exec(text);
    return m ? facts(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')) : undefined;
  }
  try {
    const jws = JSON.parse(text) as { protected?: unknown };
    if (typeof jws.protected !== 'string') return undefined;
    const header = JSON.parse(Buffer.from(jws.protected, 'base64url').toString('utf8')) as { x5c?: unknown };
    const first = Array.isArray(header.x5c) ? header.x5c[0] : undefined;
    return typeof first === 'string' ? facts(Buffer.from(first, 'base64')) : undefined;
  } catch {
    return undefined;
  }
}
