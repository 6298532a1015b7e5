import { constants, createHash, publicDecrypt, type KeyObject } from 'node:crypto';
import { errors, flattenedVerify } from 'jose';
import { factsFromJson } from './signed-facts';
import { JWS_ALGORITHMS, type JwsAlgorithm } from './jws-sign';
import type { KnownCertificate } from './trust-store';
import { checkSigner, failure, keyFits, type Verification, type VerifyOptions } from './verification';

const FLATTENED_MEMBERS = new Set(['protected', 'payload', 'signature']);

/**
 * Verifies a flattened JSON JWS: exactly the members protected, payload and signature (no
 * unprotected header, no `signatures` array); `alg` RS256, PS256 or ES256 fitting the key of the
 * first `x5c` certificate; no `crit`; the signature checked by jose (over Node's crypto). Then
 * `from` and `sentAt` are read from the verified payload and the signer is checked as for XML.
 */
export async function verifyJws(text: string, opts: VerifyOptions): Promise<Verification> {
  let jws: unknown;
  try {
    jws = JSON.parse(text);
  } catch {
    return failure('signature.malformed', 'the JWS is not JSON');
  }
  if (typeof jws !== 'object' || jws === null || Array.isArray(jws)) return failure('signature.malformed', 'the JWS is not a JSON object');
  const j = jws as Record<string, unknown>;
  if (Array.isArray(j.signatures)) return j.signatures.length > 1 ? failure('signature.multiple', `the JWS carries ${j.signatures.length} signatures`) : failure('signature.malformed', 'the general JWS serialization is not accepted; use the flattened one');
  if (!('signature' in j)) return 'payload' in j ? failure('signature.missing', 'the JWS has no signature member') : failure('signature.missing', 'the JSON document is not a JWS');
  const extra = Object.keys(j).filter((k) => !FLATTENED_MEMBERS.has(k));
  if (extra.length > 0) return failure('signature.malformed', `the JWS has members ${extra.join(', ')} besides protected, payload and signature (an unprotected header is not accepted)`);
  if (typeof j.protected !== 'string' || typeof j.payload !== 'string' || typeof j.signature !== 'string') return failure('signature.malformed', 'protected, payload and signature must be base64url strings');

  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(j.protected, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return failure('signature.malformed', 'the protected header is not base64url JSON');
  }
  if (typeof header !== 'object' || header === null) return failure('signature.malformed', 'the protected header is not a JSON object');
  const alg = header.alg;
  if (typeof alg !== 'string' || !(JWS_ALGORITHMS as readonly string[]).includes(alg)) return failure('signature.unsupported-algorithm', `alg ${JSON.stringify(alg)}; only ${JWS_ALGORITHMS.join(', ')} are accepted`);
  if ('crit' in header || 'b64' in header) return failure('signature.unsupported-algorithm', 'crit and b64 header parameters are not accepted');
  const x5c = header.x5c;
  if (!Array.isArray(x5c) || x5c.length === 0 || !x5c.every((c) => typeof c === 'string')) return failure('signature.certificate-missing', 'the protected header has no x5c');

  let leaf: KnownCertificate;
  let intermediates: KnownCertificate[];
  try {
    [leaf, ...intermediates] = (x5c as string[]).map((c) => opts.trust.certificate(c)) as [KnownCertificate, ...KnownCertificate[]];
  } catch (e) {
    return failure('signature.malformed', `an x5c certificate cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!keyFits(leaf.publicKey, alg === 'ES256' ? 'ec' : 'rsa')) return failure('signature.unsupported-algorithm', `${alg} does not fit the certificate's ${leaf.publicKey.asymmetricKeyType ?? '?'} key`);

  let payload: Uint8Array;
  try {
    ({ payload } = await flattenedVerify({ protected: j.protected, payload: j.payload, signature: j.signature }, leaf.publicKey, { algorithms: [alg] }));
  } catch (e) {
    if (e instanceof errors.JWSSignatureVerificationFailed) {
      const input = Buffer.from(`${j.protected}.${j.payload}`, 'ascii');
      return diagnose(alg as JwsAlgorithm, leaf.publicKey, input, Buffer.from(j.signature, 'base64url'))
        ? failure('signature.tampered', `the ${alg} signature by ${leaf.facts.commonName ?? '?'} is intact but was made over other content`)
        : failure('signature.invalid', `the ${alg} signature does not verify with the key of ${leaf.facts.commonName ?? leaf.certificate.subject}`);
    }
    return failure('signature.malformed', `the JWS cannot be verified: ${e instanceof Error ? e.message : String(e)}`);
  }

  const facts = factsFromJson(Buffer.from(payload));
  if (typeof facts === 'string') return failure('signature.signed-facts-missing', facts);
  const signer = checkSigner(opts.trust, leaf, intermediates, facts);
  if (!signer.ok) return signer;
  return { ok: true, format: 'jws', institution: signer.institution, certificate: leaf.certificate, chain: signer.chain.map((c) => c.certificate), signedAt: facts.signedAt, algorithm: alg };
}

const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * After a failed check: was the signature itself made by this key (so the content changed), or
 * is the signature damaged or another key's? RSA lets us tell: opening the signature with the
 * public key shows a well-formed PKCS#1 v1.5 DigestInfo or PSS encoding only if the key's owner
 * made it. ECDSA does not, so an ES256 failure is always reported as `signature.invalid`.
 */
function diagnose(alg: JwsAlgorithm, key: KeyObject, input: Buffer, signature: Buffer): boolean {
  if (alg === 'ES256') return false;
  try {
    if (alg === 'RS256') {
      const info = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
      return info.length === 51 && info.subarray(0, 19).equals(SHA256_DIGEST_INFO) && !info.subarray(19).equals(createHash('sha256').update(input).digest());
    }
    return pssWellFormed(publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, signature), key.asymmetricKeyDetails?.modulusLength ?? 0);
  } catch {
    return false;
  }
}

/** RFC 8017 §9.1.2 steps 4–10 with SHA-256, MGF1-SHA-256 and a 32-byte salt: the encoding is well-formed. */
function pssWellFormed(em: Buffer, modBits: number): boolean {
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const hLen = 32;
  const e = em.subarray(em.length - emLen);
  if (emLen < hLen + 32 + 2 || e[emLen - 1] !== 0xbc) return false;
  const masked = e.subarray(0, emLen - hLen - 1);
  const h = e.subarray(emLen - hLen - 1, emLen - 1);
  const mask = Buffer.alloc(masked.length);
  for (let counter = 0, off = 0; off < mask.length; counter++, off += hLen) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    createHash('sha256').update(h).update(c).digest().copy(mask, off);
  }
  const db = Buffer.from(masked.map((b, i) => b ^ mask[i]!));
  db[0]! &= 0xff >> (8 * emLen - emBits);
  const sep = db.length - 32 - 1;
  for (let i = 0; i < sep; i++) if (db[i] !== 0) return false;
  return db[sep] === 0x01;
}
