import type { Credential } from './credential';
import { signSha256Async } from './sign-async';

/** The base64url protected header of a credential (`{"alg":…,"x5c":[…]}`), made once per credential. */
const headers = new WeakMap<Credential, { readonly alg: 'ES256' | 'RS256'; readonly protected: string }>();

function headerOf(credential: Credential): { readonly alg: 'ES256' | 'RS256'; readonly protected: string } {
  let h = headers.get(credential);
  if (h === undefined) {
    const alg = credential.privateKey.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256';
    const x5c = [credential.certificate, ...credential.chain].map((c) => c.raw.toString('base64'));
    h = { alg, protected: Buffer.from(JSON.stringify({ alg, x5c }), 'utf8').toString('base64url') };
    headers.set(credential, h);
  }
  return h;
}

/**
 * The flattened JWS of a JSON document the gateway wrote itself (its Receipts: contracts'
 * encoder output, a JSON object and never a JWS), as signDocument writes it — the same text
 * byte for byte: `{"signature","payload","protected"}` and a newline, the protected header
 * `{"alg","x5c"}` with ES256 (r‖s, RFC 7518 §3.4) for an EC key, RS256 otherwise — made with
 * node:crypto directly: no re-parse of the document, the header encoded once per credential,
 * none of jose's per-call key checks, the signature computed on the thread pool as jose does (issue 4 item 8: CPU per accepted JSON message). jose
 * stays the library that verifies; the test verifies this output with jose and compares it
 * with signDocument's byte for byte (RS256 is deterministic).
 */
export async function signJwsDirect(json: string, credential: Credential): Promise<string> {
  const { alg, protected: header } = headerOf(credential);
  const payload = Buffer.from(json.replace(/^\uFEFF/, '').trim(), 'utf8').toString('base64url');
  const key = alg === 'ES256' ? { key: credential.privateKey, dsaEncoding: 'ieee-p1363' as const } : credential.privateKey;
  const signature = await signSha256Async(Buffer.from(`${header}.${payload}`, 'ascii'), key);
  return `{"signature":"${signature.toString('base64url')}","payload":"${payload}","protected":"${header}"}\n`;
}
