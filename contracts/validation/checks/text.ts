import { isXmlChar } from '../../codec/xml-entities';
import { fail, notText, pass, shown, type ScalarCheck } from './check';

/** Length in characters (code points), as XML Schema and JSON Schema count it. */
export function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n += 1;
  return n;
}

const patterns = new Map<string, RegExp>();

/** Free text: characters XML can carry, length bounds in characters, single line unless multiline, the declared pattern. */
export const checkText: ScalarCheck = (v, type) => {
  if (type.kind !== 'string') throw new Error(`checkText called for ${type.kind}`);
  if (typeof v !== 'string') return notText(v);
  for (const ch of v) {
    const code = ch.codePointAt(0) ?? 0;
    if (!isXmlChar(code) || (code >= 0xd800 && code <= 0xdfff)) {
      return fail('contract.character', `contains U+${code.toString(16).toUpperCase().padStart(4, '0')}, a character XML cannot carry`);
    }
  }
  const length = charLength(v);
  if (type.minLength !== undefined && length < type.minLength) {
    return fail('contract.too-short', length === 0 ? 'must not be empty' : `must be at least ${type.minLength} characters, got ${length}`);
  }
  if (type.maxLength !== undefined && length > type.maxLength) return fail('contract.too-long', `must be at most ${type.maxLength} characters, got ${length}`);
  if (!type.multiline && /[\r\n]/.test(v)) return fail('contract.single-line', 'must be a single line (no line breaks)');
  if (type.pattern !== undefined) {
    let re = patterns.get(type.pattern);
    if (re === undefined) {
      re = new RegExp(type.pattern, 'u');
      patterns.set(type.pattern, re);
    }
    if (!re.test(v)) return fail('contract.pattern', `must be ${type.patternHint ?? `text matching ${type.pattern}`}, got ${shown(v)}`);
  }
  return pass(v);
};
