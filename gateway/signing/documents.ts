import { GatewayError } from '../../contracts/errors/gateway-error';
import type { Credential } from './credential';
import { signJws, type JwsAlgorithm } from './jws-sign';
import { verifyJws } from './jws-verify';
import { failure, type Verification, type VerifyOptions } from './verification';
import { signXml } from './xml-dsig-sign';
import { verifyXml } from './xml-dsig-verify';

/** The two signed forms a document takes. */
export type SignedFormat = 'xml' | 'json';

/** Tells XML from JSON by content: the first character after a BOM and whitespace. */
export function formatOf(text: string): SignedFormat | undefined {
  const m = /^\uFEFF?\s*([<{])/.exec(text);
  return m ? (m[1] === '<' ? 'xml' : 'json') : undefined;
}

function decode(data: string | Buffer): string {
  return (typeof data === 'string' ? data : data.toString('utf8')).replace(/^\uFEFF/, '');
}

/** Signs a document, XML (enveloped XML-DSig) or JSON (flattened JWS, returned as JSON text), told apart by content. */
export async function signDocument(data: string | Buffer, credential: Credential, opts: { jwsAlgorithm?: JwsAlgorithm } = {}): Promise<string> {
  const text = decode(data);
  const format = formatOf(text);
  if (format === 'xml') return signXml(text, credential);
  if (format === 'json') return `${JSON.stringify(await signJws(text.trim(), credential, opts.jwsAlgorithm))}\n`;
  throw new GatewayError('signature.unknown-format', 'the document is neither XML (starts with <) nor JSON (starts with {)');
}

/** Verifies a signed document, XML-DSig or flattened JWS, told apart by content; never throws. */
export async function verifyDocument(data: string | Buffer, opts: VerifyOptions): Promise<Verification> {
  const text = decode(data);
  try {
    const format = formatOf(text);
    if (format === 'xml') return verifyXml(text, opts);
    if (format === 'json') return await verifyJws(text, opts);
    return failure('signature.unknown-format', 'it starts with neither < nor {');
  } catch (e) {
    // The verifiers answer every refusal with a code; reaching this is a bug, still not a crash.
    return failure('signature.malformed', `verification failed unexpectedly: ${e instanceof Error ? e.message : String(e)}`);
  }
}
