const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const REFERENCE = /&([^;&\s]*);?/g;

/** The characters XML 1.0 can carry (its `Char` production). */
export function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/**
 * Replaces the five predefined entities and character references (`&#13;`, `&#x4E2D;`) in
 * raw XML text. Any other reference is an error: no DTD is read, so no other entity exists.
 * Returns the text, or the offending reference.
 */
export function decodeEntities(raw: string): { text: string } | { bad: string } {
  if (!raw.includes('&')) return { text: raw };
  let bad: string | undefined;
  const text = raw.replace(REFERENCE, (whole, name: string) => {
    if (!whole.endsWith(';')) {
      bad ??= whole;
      return whole;
    }
    const predefined = PREDEFINED[name];
    if (predefined !== undefined) return predefined;
    const numeric = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(name);
    if (numeric) {
      const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : parseInt(numeric[2] ?? '', 10);
      if (isXmlChar(code)) return String.fromCodePoint(code);
    }
    bad ??= whole;
    return whole;
  });
  return bad === undefined ? { text } : { bad };
}
