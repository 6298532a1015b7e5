/**
 * Finds multipart bodies that end before their closing boundary (a mail cut in transit or by a
 * size limit). mailparser reads such a mail without complaint; this says so, so the reply or the
 * alert can tell the sender that part of the mail was lost. One pass over the bytes: linear even
 * for a mail with thousands of boundaries.
 */
export function unclosedBoundaries(raw: Buffer): string[] {
  // Headers and boundaries are ASCII; latin1 keeps byte offsets and never throws.
  const text = raw.toString('latin1');
  const declared = new Set<string>();
  const re = /content-type:[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*/gi;
  for (const header of text.match(re) ?? []) {
    const m = /boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i.exec(header);
    const b = m?.[1] ?? m?.[2];
    if (b) declared.add(b);
  }
  if (declared.size === 0) return [];
  const closed = new Set<string>();
  // A closing delimiter line: "--" boundary "--", optionally followed by whitespace.
  for (const m of text.matchAll(/^--(.+?)--[ \t]*\r?$/gm)) closed.add(m[1]!);
  return [...declared].filter((b) => !closed.has(b));
}
