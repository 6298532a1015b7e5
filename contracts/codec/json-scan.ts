import { documentError, type ContractError } from '../validation/contract-error';

/**
 * Scans JSON text once, without recursion and before JSON.parse sees it, for nesting of arrays
 * and objects deeper than `maxDepth`. Strings are skipped, escapes included.
 */
export function scanJsonDepth(text: string, maxDepth: number): ContractError | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > maxDepth) return documentError('contract.too-deep', `arrays and objects nest deeper than ${maxDepth} levels at character ${i + 1}`);
    } else if (c === 0x5d || c === 0x7d) {
      depth -= 1;
    }
  }
  return undefined;
}
