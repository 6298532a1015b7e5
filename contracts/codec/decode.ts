import { documentError, type ContractError } from '../validation/contract-error';
import { asMessage, isFlattenedJws, parseJson } from './json-codec';
import { decodeLimits, type DecodeLimits } from './limits';
import type { MessageDocument } from './message-document';
import { toText, type DocumentInput } from './text-input';
import { readMessage } from './xml-reader';
import { scanXml } from './xml-scan';
import { parseXmlTree } from './xml-tree';

/** The two document formats. */
export type DocumentFormat = 'xml' | 'json';

/** What decode found: the document in the JSON model (when readable), its format, and any error. */
export interface DecodeResult {
  /** True when the document was read without error (validation against its form comes after). */
  readonly ok: boolean;
  readonly format?: DocumentFormat;
  readonly document?: MessageDocument;
  /**
   * `xml-dsig`: an enveloped ds:Signature closed the XML (ignored here); `jws`: the JSON was a
   * flattened JWS whose payload was decoded. Neither is verified here: that is the signing module's job.
   */
  readonly signature?: 'xml-dsig' | 'jws';
  readonly signed: boolean;
  readonly errors: readonly ContractError[];
}

/** Options of decode. */
export interface DecodeOptions {
  readonly limits?: Partial<DecodeLimits>;
}

const failed = (errors: readonly ContractError[], format?: DocumentFormat): DecodeResult => ({ ok: false, format, signed: false, errors });

/** Which format the text is in, by its first non-blank character. */
export function sniffFormat(text: string): DocumentFormat | undefined {
  const first = /\S/.exec(text)?.[0];
  return first === '<' ? 'xml' : first === '{' || first === '[' ? 'json' : undefined;
}

function decodeXmlText(text: string, limits: DecodeLimits): DecodeResult {
  const refused = scanXml(text.trimStart(), limits.maxDepth);
  if (refused) return failed([refused], 'xml');
  const tree = parseXmlTree(text.trimStart());
  if ('errors' in tree) return failed(tree.errors, 'xml');
  const { document, signed, errors } = readMessage(tree.root);
  return { ok: errors.length === 0, format: 'xml', document, signed, ...(signed ? { signature: 'xml-dsig' as const } : {}), errors };
}

function decodeJsonText(text: string, limits: DecodeLimits): DecodeResult {
  const parsed = parseJson(text, limits);
  if ('error' in parsed) return failed([parsed.error], 'json');
  if (isFlattenedJws(parsed.value)) {
    const payload = Buffer.from(parsed.value.payload, 'base64url');
    const inner = toText(payload, limits);
    if ('error' in inner) return failed([{ ...inner.error, path: 'payload' }], 'json');
    const innerParsed = parseJson(inner.text, limits);
    if ('error' in innerParsed) return failed([{ ...innerParsed.error, path: 'payload', message: `JWS payload: ${innerParsed.error.message}` }], 'json');
    const message = asMessage(innerParsed.value);
    if ('error' in message) return failed([message.error], 'json');
    return { ok: true, format: 'json', document: message.document, signed: true, signature: 'jws', errors: [] };
  }
  const message = asMessage(parsed.value);
  if ('error' in message) return failed([message.error], 'json');
  return { ok: true, format: 'json', document: message.document, signed: false, errors: [] };
}

/**
 * Reads a message from bytes or text, XML or JSON told apart by content (a BOM is tolerated),
 * within the size and depth limits. Never throws on bad input: the errors say what is wrong.
 */
export function decode(input: DocumentInput, options: DecodeOptions = {}): DecodeResult {
  const limits = decodeLimits(options.limits);
  const t = toText(input, limits);
  if ('error' in t) return failed([t.error]);
  const format = sniffFormat(t.text);
  if (format === 'xml') return decodeXmlText(t.text, limits);
  if (format === 'json') return decodeJsonText(t.text, limits);
  return failed([documentError('contract.unknown-format', t.text.trim() === '' ? 'the document is empty' : 'the document is neither XML (starting with <) nor JSON (starting with {)')]);
}

/** Reads XML only (see decode). */
export function decodeXml(input: DocumentInput, options: DecodeOptions = {}): DecodeResult {
  const limits = decodeLimits(options.limits);
  const t = toText(input, limits);
  return 'error' in t ? failed([t.error], 'xml') : decodeXmlText(t.text, limits);
}

/** Reads JSON only (see decode). */
export function decodeJson(input: DocumentInput, options: DecodeOptions = {}): DecodeResult {
  const limits = decodeLimits(options.limits);
  const t = toText(input, limits);
  return 'error' in t ? failed([t.error], 'json') : decodeJsonText(t.text, limits);
}
