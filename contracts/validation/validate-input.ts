import { decode, type DecodeOptions, type DecodeResult } from '../codec/decode';
import type { MessageDocument } from '../codec/message-document';
import type { DocumentInput } from '../codec/text-input';
import type { ContractError } from './contract-error';
import type { ValidationOptions } from './options';
import { validate } from './validate';

/** What validateInput found: the decoding facts, the normalised document when valid, and every error. */
export interface InputValidation {
  readonly ok: boolean;
  readonly format: DecodeResult['format'];
  readonly signed: boolean;
  readonly signature: DecodeResult['signature'];
  /** The normalised document; present only when ok. */
  readonly value?: MessageDocument;
  readonly errors: readonly ContractError[];
}

/** Decodes bytes or text (XML or JSON by content) and validates the message: the errors of both steps together. */
export function validateInput(input: DocumentInput, options: ValidationOptions & DecodeOptions = {}): InputValidation {
  const decoded = decode(input, options);
  const base = { format: decoded.format, signed: decoded.signed, signature: decoded.signature };
  if (decoded.document === undefined) return { ...base, ok: false, errors: decoded.errors };
  const checked = validate(decoded.document, options);
  const errors = [...decoded.errors, ...checked.errors];
  return errors.length === 0 ? { ...base, ok: true, value: checked.value, errors } : { ...base, ok: false, errors };
}
