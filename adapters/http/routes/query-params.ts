import type { Request } from 'express';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import type { ErrorCode } from '../../../contracts/errors/registry';
import type { RuleError } from '../ports';

/**
 * The query string of a GET route, checked for form: each parameter at most once, none the route
 * does not know. Problems are collected as rule errors (`path` = `query.NAME`) so that one answer
 * names every bad parameter and the rule it breaks.
 */
export class QueryParams {
  readonly errors: RuleError[] = [];

  constructor(private readonly req: Request, known: readonly string[]) {
    for (const name of Object.keys(req.query)) {
      if (!known.includes(name)) this.errors.push({ code: 'http.bad-request', path: `query.${name}`, message: `${name} is not a parameter of this route (known: ${known.join(', ')})` });
    }
  }

  /** The single string value of `name`, or undefined when it is absent. */
  string(name: string): string | undefined {
    const raw = this.req.query[name];
    if (raw === undefined) return undefined;
    if (typeof raw !== 'string') {
      this.errors.push({ code: 'http.bad-request', path: `query.${name}`, message: `${name} must be given once, as a single value` });
      return undefined;
    }
    return raw;
  }

  /** Records a broken rule of `name`. */
  refuse(name: string, code: ErrorCode, message: string, source?: string): void {
    this.errors.push({ code, path: `query.${name}`, message, ...(source !== undefined && { source }) });
  }

  /** Throws every problem found as one 400 answer (its code the first problem's). */
  check(): void {
    if (this.errors.length === 0) return;
    const first = this.errors[0] as RuleError;
    throw new GatewayError(first.code as ErrorCode, this.errors.map((e) => `${e.path ?? ''}: ${e.message}`).join('; '), { errors: this.errors });
  }
}

/**
 * A GatewayError of the core about one query field (its facts name the `field`) as a refusal
 * naming `query.FIELD` and the article; any other error is rethrown unchanged.
 */
export function asQueryError(e: unknown, fieldToParam: Readonly<Record<string, string>> = {}): never {
  if (e instanceof GatewayError && typeof e.facts.field === 'string') {
    const param = fieldToParam[e.facts.field] ?? e.facts.field;
    const source = typeof e.facts.article === 'string' ? e.facts.article : undefined;
    throw new GatewayError(e.code, e.message, { ...e.facts, errors: [{ code: e.code, path: `query.${param}`, message: e.message, ...(source !== undefined && { source }) }] });
  }
  throw e;
}
