import { documentError, type ContractError } from '../validation/contract-error';
import { decodeLimits, type DecodeLimits } from './limits';
import { isRecord, orderedMessage, type MessageDocument } from './message-document';
import { scanJson } from './json-scan';

/** Writes a message as JSON, fields in declaration order, two-space indentation, final newline. */
export function encodeJson(doc: MessageDocument): string {
  return `${JSON.stringify(orderedMessage(doc), null, 2)}\n`;
}

/** A flattened JWS JSON serialization (RFC 7515 §7.2.2): the signed form of a JSON message. */
export interface FlattenedJws {
  readonly protected: string;
  readonly payload: string;
  readonly signature: string;
  readonly header?: unknown;
}

/** Whether a parsed JSON value is a flattened JWS rather than a message. */
export function isFlattenedJws(v: unknown): v is FlattenedJws {
  if (!isRecord(v)) return false;
  const keys = Object.keys(v).filter((k) => k !== 'header');
  return keys.length === 3 && ['protected', 'payload', 'signature'].every((k) => typeof v[k] === 'string');
}

/** Parses JSON text (size already checked) after bounding its depth and refusing repeated keys; the value is not yet checked to be a message. */
export function parseJson(text: string, limits: Partial<DecodeLimits> = {}): { value: unknown } | { error: ContractError } {
  const refused = scanJson(text, decodeLimits(limits).maxDepth);
  if (refused) return { error: refused };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (e) {
    return { error: documentError('contract.malformed-json', `the JSON cannot be parsed: ${e instanceof Error ? e.message : String(e)}`) };
  }
}

/** The message of a parsed JSON value, or the error saying it is not one. */
export function asMessage(value: unknown): { document: MessageDocument } | { error: ContractError } {
  if (isRecord(value)) return { document: value };
  const what = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
  return { error: documentError('contract.root-element', `the JSON document is ${what}, not a message object`) };
}
