import { documentError, type ContractError } from '../validation/contract-error';

/**
 * Scans JSON text once, without recursion and before JSON.parse sees it: refuses nesting of
 * arrays and objects deeper than `maxDepth`, and a key repeated in one object (JSON.parse
 * would silently keep the last, another reader the first: the signed bytes would mean two
 * things). Strings are skipped, escapes included.
 */
export function scanJson(text: string, maxDepth: number): ContractError | undefined {
  // One frame per open array or object; objects keep the keys seen so far.
  const frames: (Set<string> | undefined)[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const start = i;
      for (i += 1; i < text.length; i += 1) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i += 1;
        else if (d === 0x22) break;
      }
      const keys = frames[frames.length - 1];
      if (keys === undefined) continue;
      let j = i + 1;
      while (j < text.length && /\s/.test(text.charAt(j))) j += 1;
      if (text.charAt(j) !== ':') continue;
      let key: string;
      try {
        key = JSON.parse(text.slice(start, i + 1)) as string;
      } catch {
        return undefined; // JSON.parse reports the syntax error with its position
      }
      if (keys.has(key)) return documentError('contract.duplicate-field', `the key ${JSON.stringify(key)} appears twice in one object (at character ${start + 1})`);
      keys.add(key);
    } else if (c === 0x5b || c === 0x7b) {
      frames.push(c === 0x7b ? new Set() : undefined);
      if (frames.length > maxDepth) return documentError('contract.too-deep', `arrays and objects nest deeper than ${maxDepth} levels at character ${i + 1}`);
    } else if (c === 0x5d || c === 0x7d) {
      frames.pop();
    }
  }
  return undefined;
}
