import { fail, pass, shown, textCheck } from './check';

/** SHA-256: 64 hexadecimal digits, normalised to lower case. */
export const checkSha256 = textCheck((v) => (/^[0-9A-Fa-f]{64}$/.test(v) ? pass(v.toLowerCase()) : fail('contract.sha256', `must be 64 hexadecimal digits (a SHA-256 digest), got ${shown(v)}`)));
