import type { KeyObject } from 'node:crypto';
import { GatewayError } from '../../contracts/errors/gateway-error';
import * as der from './der';

/** A certificate signing request as an institution sends it to the CA. */
export interface ParsedCsr {
  /** The subject CN the institution asked for. */
  readonly commonName: string | undefined;
  /** The key to certify; the CSR's self-signature proves possession of its private half. */
  readonly publicKey: KeyObject;
}

/** A PKCS#10 CSR (PEM) for `commonName`, signed with the institution's private key (Node's crypto). */
export function createCsr(commonName: string, privateKey: KeyObject, publicKey: KeyObject, organization?: string): string {
  const info = der.seq([der.int(0), der.name(commonName, organization), der.spki(publicKey), der.create(der.TAG.CONTEXT, 0, true, [])]);
  const body = der.signStructure(info, privateKey).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE REQUEST-----\n${body}\n-----END CERTIFICATE REQUEST-----\n`;
}

/** Reads a PEM or DER CSR and checks its self-signature; throws `pki.csr-invalid`. */
export function parseCsr(data: string | Buffer): ParsedCsr {
  try {
    const text = typeof data === 'string' ? data : data.toString('latin1');
    const m = /-----BEGIN (?:NEW )?CERTIFICATE REQUEST-----([\s\S]+?)-----END (?:NEW )?CERTIFICATE REQUEST-----/.exec(text);
    const bytes = m ? Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64') : typeof data === 'string' ? Buffer.alloc(0) : data;
    const top = der.fromDer(bytes);
    const info = (top.value as der.Asn1[])[0]!;
    const [, subject, spki] = info.value as der.Asn1[];
    const publicKey = der.publicKeyOf(spki!);
    if (!der.verifyStructure(bytes, publicKey)) throw new Error('its self-signature does not verify');
    return { commonName: der.commonNameOf(subject!), publicKey };
  } catch (e) {
    throw new GatewayError('pki.csr-invalid', `the CSR is not valid: ${e instanceof Error ? e.message : String(e)}`);
  }
}
