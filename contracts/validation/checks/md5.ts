import { fail, pass, shown, textCheck } from './check';

/** MD5: 32 hexadecimal digits, normalised to lower case. */
export const checkMd5 = textCheck((v) => (/^[0-9A-Fa-f]{32}$/.test(v) ? pass(v.toLowerCase()) : fail('contract.md5', `must be 32 hexadecimal digits (an MD5 digest), got ${shown(v)}`)));
