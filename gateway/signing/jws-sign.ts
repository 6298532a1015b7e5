import { FlattenedSign, type FlattenedJWS } from 'jose';
import { GatewayError } from '../../contracts/errors/gateway-error';
import type { Credential } from './credential';

/** The JWS algorithms mmgw signs with and accepts. */
export const JWS_ALGORITHMS = ['RS256', 'PS256', 'ES256'] as const;
export type JwsAlgorithm = (typeof JWS_ALGORITHMS)[number];

/**
 * Signs a JSON document as a flattened JWS (RFC 7515 §7.2.2) with jose: the payload is the
 * document's bytes as given, the protected header carries `alg` and `x5c` (the signer's
 * certificate, then any intermediates). RS256 by default for RSA keys (PS256 on request), ES256
 * for EC P-256. Refuses anything that is not a JSON object, or is already a JWS.
 */
export async function signJws(json: string, credential: Credential, alg?: JwsAlgorithm): Promise<FlattenedJWS> {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (e) {
    throw new GatewayError('signature.malformed', `the document to sign is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new GatewayError('signature.malformed', 'the document to sign is not a JSON object');
  if ('payload' in doc && ('signature' in doc || 'signatures' in doc)) throw new GatewayError('signature.multiple', 'the document is already a JWS; sign the unsigned document');
  const ec = credential.privateKey.asymmetricKeyType === 'ec';
  const algorithm = alg ?? (ec ? 'ES256' : 'RS256');
  if (ec !== (algorithm === 'ES256')) throw new GatewayError('signature.unsupported-algorithm', `${algorithm} does not fit a ${credential.privateKey.asymmetricKeyType ?? '?'} key`);
  const x5c = [credential.certificate, ...credential.chain].map((c) => c.raw.toString('base64'));
  return new FlattenedSign(Buffer.from(json, 'utf8')).setProtectedHeader({ alg: algorithm, x5c }).sign(credential.privateKey);
}
