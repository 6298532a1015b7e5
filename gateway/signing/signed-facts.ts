import { MESSAGE_NAMESPACE } from '../../contracts/envelope';
import { textOf, type XElement } from './xml-tree';

/** What verification reads from the signed content: the sender and the signing time. */
export interface SignedFacts {
  /** The envelope's `from`: the institution that claims to have sent the document. */
  readonly from: string;
  /** The envelope's `sentAt`: the signing time the certificates must be valid at. */
  readonly signedAt: Date;
  /** `sentAt` as written. */
  readonly sentAt: string;
}

/** ISO 8601 date-time with an explicit offset, as the contracts write `sentAt`. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function facts(from: unknown, sentAt: unknown): SignedFacts | string {
  if (typeof from !== 'string' || from === '') return 'the signed content has no from';
  if (typeof sentAt !== 'string' || !DATE_TIME.test(sentAt)) return `the signed content's sentAt ${JSON.stringify(sentAt)} is not a date-time with an offset`;
  const signedAt = new Date(sentAt);
  if (Number.isNaN(signedAt.getTime())) return `the signed content's sentAt ${sentAt} is not a valid instant`;
  return { from, signedAt, sentAt };
}

/**
 * `from` and `sentAt` from a verified XML message: the single direct children of that name of
 * the `Message` element in the mmgw namespace, `omit` (the enveloped Signature) left out. Call it
 * only on the tree whose digest was checked. Returns a reason when they are missing, repeated
 * or malformed.
 */
export function factsFromTree(root: XElement, omit?: XElement): SignedFacts | string {
  if (root.ns !== MESSAGE_NAMESPACE || root.local !== 'Message') return `the document element is not {${MESSAGE_NAMESPACE}}Message`;
  const found: Record<'from' | 'sentAt', string[]> = { from: [], sentAt: [] };
  for (const el of root.children) {
    if (typeof el === 'string' || el === omit) continue;
    if (el.ns === MESSAGE_NAMESPACE && (el.local === 'from' || el.local === 'sentAt')) found[el.local].push(textOf(el));
  }
  if (found.from.length !== 1 || found.sentAt.length !== 1) return `the signed message has ${found.from.length} from and ${found.sentAt.length} sentAt elements; exactly one each is required`;
  return facts(found.from[0]!.trim(), found.sentAt[0]!.trim());
}

/** `from` and `sentAt` from a verified JSON payload (the bytes the JWS signature covers). */
export function factsFromJson(payload: Buffer | string): SignedFacts | string {
  let doc: unknown;
  try {
    doc = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
  } catch {
    return 'the signed payload is not JSON';
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'the signed payload is not a JSON object';
  // JSON.parse keeps the last of repeated keys, other parsers the first: a payload with two
  // "from" could name one sender to mmgw and another to a different verifier. Refuse it.
  const repeated = repeatedTopLevelKey(typeof payload === 'string' ? payload : payload.toString('utf8'), ['from', 'sentAt']);
  if (repeated) return `the signed payload has the key ${repeated} more than once`;
  const d = doc as Record<string, unknown>;
  return facts(d.from, d.sentAt);
}

/**
 * The first of `keys` that occurs more than once among the top-level keys of a JSON object text
 * (already known to parse), or undefined.
 */
export function repeatedTopLevelKey(text: string, keys: readonly string[]): string | undefined {
  const seen = new Set<string>();
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      let k = j + 1;
      while (k < text.length && /\s/.test(text[k]!)) k++;
      if (depth === 1 && text[k] === ':') {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (keys.includes(key)) {
          if (seen.has(key)) return key;
          seen.add(key);
        }
      }
      i = j;
    }
  }
  return undefined;
}
