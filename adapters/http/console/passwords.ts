import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt parameters (RFC 7914): N = 2^15, r = 8, p = 1 — OWASP's password storage minimum for
 * scrypt — and a 16-byte random salt per user. Stored as `scrypt$N$r$p$salt$hash` (base64), so
 * the parameters can be raised later without breaking existing hashes.
 */
const PARAMS = { N: 32768, r: 8, p: 1, keylen: 64 } as const;

function derive(password: string, salt: Buffer, opts: { N: number; r: number; p: number }, keylen: number): Promise<Buffer> {
  const options: ScryptOptions = { ...opts, maxmem: 256 * opts.N * opts.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** The stored form of `password`: a fresh salt and its scrypt hash. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS, PARAMS.keylen);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** A hash of a password nobody knows, checked when the user name is unknown so both answers take as long. */
let decoy: Promise<string> | undefined;

/** True when `password` matches `stored` (constant-time comparison); `stored` undefined checks a decoy and answers false. */
export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const target = stored ?? (await (decoy ??= hashPassword(randomBytes(16).toString('hex'))));
  const [scheme, n, r, p, salt, hash] = target.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) }, expected.length);
  return timingSafeEqual(key, expected) && stored !== undefined;
}
