import { documentError, type ContractError } from '../validation/contract-error';
import type { DecodeLimits } from './limits';

/** Input of the decoders: the bytes as received, or text already decoded. */
export type DocumentInput = Uint8Array | string;

/**
 * Turns input into text: enforces the size limit, requires valid UTF-8 and drops a BOM.
 * Returns the text or the error that refuses it.
 */
export function toText(input: DocumentInput, limits: DecodeLimits): { text: string } | { error: ContractError } {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (size > limits.maxBytes) {
    return { error: documentError('contract.too-large', `the document is ${size} bytes, more than the limit of ${limits.maxBytes} bytes`) };
  }
  if (typeof input === 'string') return { text: input.startsWith('\uFEFF') ? input.slice(1) : input };
  try {
    // fatal: refuse invalid UTF-8 instead of replacing it; the BOM, if any, is removed.
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(input) };
  } catch {
    return { error: documentError('contract.encoding', 'the document is not valid UTF-8 text') };
  }
}
