import { PROVINCE_CODES } from '../validation/provinces';

/**
 * Regular expressions written once in the common subset of XML Schema and JavaScript (`u`
 * flag) regular expressions — no anchors, no `(?:`, no `\d` — so the JSON Schema (anchored
 * as `^(…)$`) and the XSD (implicitly anchored) say the same. Validation is stricter than
 * some of them (real dates, IDNA, IPv6 syntax); they never refuse what validation accepts.
 */
export const PHONE_PATTERN = '\\+?(\\([0-9]{1,5}\\) ?)?[0-9]+([ \\-][0-9]+)*( ?(ext\\.?|EXT\\.?|x|X|转|#) ?[0-9]{1,8})?';

const IPV4 = '((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const IPV6 = '[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*';
const DOMAIN_LABEL = '[^\\s./\\[\\]:@]{1,63}';

/** Patterns of the domain kinds, by kind. */
export function domainPatterns(malwareOs: readonly string[], malwareAttributes: readonly string[]) {
  return {
    md5: '[0-9a-fA-F]{32}',
    sha256: '[0-9a-fA-F]{64}',
    'malware-name': `(${malwareOs.join('|')})\\.(${malwareAttributes.join('|')})\\.[A-Za-z0-9][A-Za-z0-9_\\-]{0,63}\\.[A-Za-z0-9]{1,16}(\\.\\[[^\\[\\]]{1,50}\\])?`,
    ip: `${IPV4}|${IPV6}`,
    domain: `(${DOMAIN_LABEL}(\\.|\\[\\.\\]))+${DOMAIN_LABEL}\\.?`,
    url: '[hH][tTxX][tTxX][pP][sS]?(://|\\[:\\]//|\\[://\\])\\S+',
    province: PROVINCE_CODES.join('|'),
    institution: `miit|cncert|mmgw|ca-(${PROVINCE_CODES.join('|')})|(op|dr|rr)-[a-z0-9]{1,32}`,
    email: '[^\\s@]+@[^\\s@]+',
    phone: PHONE_PATTERN,
    'message-id': '[A-Za-z0-9][A-Za-z0-9._:\\-]{7,127}',
    datetime: '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+\\-][0-9]{2}:[0-9]{2})',
    date: '[0-9]{4}-[0-9]{2}-[0-9]{2}',
    month: '[0-9]{4}-(0[1-9]|1[0-2])',
    singleLine: '[^\\r\\n]*',
  } as const;
}

/** A declaration's JavaScript pattern (`^…$`) as an XSD pattern (implicitly anchored). */
export function xsdPattern(jsPattern: string): string {
  const inner = jsPattern.replace(/^\^/, '').replace(/\$$/, '');
  if (/\(\?|\\[dDwWbB]/.test(inner)) throw new Error(`pattern ${jsPattern} uses syntax XML Schema lacks; write it with [0-9], (…) only`);
  return inner;
}
