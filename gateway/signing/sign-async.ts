import { sign as nodeSign, type KeyObject } from 'node:crypto';

/** A key as crypto.sign takes it: RSA as is, EC with the signature encoding (`ieee-p1363` = r‖s for JWS and XML-DSig). */
export type SignKey = KeyObject | { readonly key: KeyObject; readonly dsaEncoding: 'ieee-p1363' | 'der' };

/**
 * crypto.sign('sha256', …) with a callback: the signature is computed on libuv's thread pool
 * (as jose's sign does), not on the event loop's thread, which a busy gateway needs for
 * everything else (issue 4 item 8). The same signature as the synchronous call.
 */
export function signSha256Async(data: Buffer, key: SignKey): Promise<Buffer> {
  return new Promise((resolve, reject) => nodeSign('sha256', data, key, (e, signature) => (e ? reject(e) : resolve(signature))));
}
