import type { ContractCode } from '../errors/contract-codes';
import { GatewayError } from '../errors/gateway-error';

/** One broken rule of a document: where, which rule, and the article, annex or standard it comes from. */
export interface ContractError {
  readonly code: ContractCode;
  /** Path in the document, e.g. `body.samples[0].md5`; empty for the document as a whole. */
  readonly path: string;
  /** Which field (English label with the form's Chinese label) and which rule, in English. */
  readonly message: string;
  /** The article, annex or standard the rule comes from, e.g. `Annex 1`, `YD/T 2439-2012`. */
  readonly source: string;
}

/** Source given to errors about reading the document itself rather than a field of a form. */
export const DOCUMENT_SOURCE = 'mmgw message contract, urn:mmgw:message:1';

/** Builds a ContractError about the document as a whole (reading, not a field). */
export function documentError(code: ContractCode, message: string, path = ''): ContractError {
  return { code, path, message, source: DOCUMENT_SOURCE };
}

/** Joins a path and a field name: `body` + `samples` → `body.samples`. */
export function joinPath(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

/** One line per error: `path: message [code] (source)`. */
export function formatContractError(e: ContractError): string {
  return `${e.path === '' ? '(document)' : e.path}: ${e.message} [${e.code}] (${e.source})`;
}

/** A GatewayError carrying every ContractError; its code is the first error's. */
export function toGatewayError(errors: readonly ContractError[]): GatewayError {
  const first = errors[0];
  if (first === undefined) throw new Error('toGatewayError needs at least one error');
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return new GatewayError(first.code, `${formatContractError(first)}${more}`, { path: first.path, article: first.source, errors });
}
