import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { fail, pass, shown, textCheck, type CheckResult } from './check';

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** The normalised domain (defang `[.]` removed, IDNA to punycode, lower case, no final dot), or undefined. */
export function normaliseDomain(v: string): string | undefined {
  const refanged = v.replace(/\[\.\]/g, '.').replace(/\.$/, '');
  if (refanged === '' || /[\s/:@[\]]/.test(refanged) || isIP(refanged) !== 0) return undefined;
  const ascii = domainToASCII(refanged.toLowerCase());
  if (ascii === '' || ascii.length > 253) return undefined;
  const labels = ascii.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || /^[0-9]+$/.test(labels[labels.length - 1] ?? '')) return undefined;
  return ascii;
}

/** A domain name; IDNA to punycode, lower case, defanged `[.]` accepted. */
export const checkDomain = textCheck((v): CheckResult => {
  const d = normaliseDomain(v);
  return d !== undefined ? pass(d) : fail('contract.domain', `must be a domain name such as example.com or 例子.中国 (defanged example[.]com accepted), got ${shown(v)}`);
});
