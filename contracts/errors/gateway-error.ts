import { codeInfo, type ErrorCode } from './registry';

/** Facts a caller may need besides the code: where in the document, which rule, which article. */
export interface ErrorFacts {
  /** Path in the document, e.g. `body.samples[0].md5`. */
  readonly path?: string;
  /** The article, annex or standard the rule comes from, e.g. `Art. 9(1)`, `Annex 1`. */
  readonly article?: string;
  readonly [fact: string]: unknown;
}

/**
 * The one error family of mmgw. The code survives a process boundary where `instanceof`
 * does not; the facts say where and why.
 */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly facts: ErrorFacts;

  constructor(code: ErrorCode, message: string, facts: ErrorFacts = {}) {
    super(message);
    this.name = 'GatewayError';
    this.code = code;
    this.facts = facts;
  }

  get httpStatus(): number {
    return codeInfo(this.code).http;
  }

  get exitCode(): number {
    return codeInfo(this.code).exit;
  }
}
