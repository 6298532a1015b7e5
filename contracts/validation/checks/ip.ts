import { isIP } from 'node:net';
import { fail, pass, shown, textCheck } from './check';

/** The compressed lower-case form of an IPv6 address (RFC 5952), or undefined. */
export function normaliseIpv6(v: string): string | undefined {
  try {
    return new URL(`http://[${v}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
}

/** IPv4 (dotted quad) or IPv6, IPv6 normalised to its compressed lower-case form; no zone id. */
export const checkIp = textCheck((v) => {
  const version = v.includes('%') ? 0 : isIP(v);
  if (version === 4) return pass(v);
  const v6 = version === 6 ? normaliseIpv6(v) : undefined;
  return v6 !== undefined ? pass(v6) : fail('contract.ip', `must be an IPv4 or IPv6 address, got ${shown(v)}`);
});
