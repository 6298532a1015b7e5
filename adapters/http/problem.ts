import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import { errorCodes, type ErrorCode } from '../../contracts/errors/registry';
import { GatewayError } from '../../contracts/errors/gateway-error';
import type { RuleError, SignedBytes } from './ports';

/** The media type of RFC 9457 problem details. */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** An RFC 9457 problem details object, with mmgw's extension members. */
export interface Problem {
  /** A URI reference naming the problem type: the code's entry on the API page. */
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  /** The stable error code (contracts/errors). */
  readonly code: string;
  /** Every broken rule, when there are several (a Rejection). */
  readonly errors?: readonly RuleError[];
  /** The gateway's signed Rejection, as text, with its media type. */
  readonly rejection?: string;
  readonly rejectionMediaType?: string;
  readonly [extension: string]: unknown;
}

/** Whether `code` is in the one registry. */
export function isRegisteredCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(errorCodes, code);
}

/** The problem type URI of a code: its anchor on the API page. */
export function problemType(code: string): string {
  return `/docs#${code}`;
}

/** The HTTP status of a code from the one outcome table (contracts/errors), or `fallback` for a code it does not know. */
export function statusOf(code: string, fallback = 500): number {
  return isRegisteredCode(code) ? errorCodes[code].http : fallback;
}

/** A problem for one code; the status and title come from the outcome table. */
export function problemFor(code: ErrorCode, detail: string, extensions: Record<string, unknown> = {}): Problem {
  const info = errorCodes[code];
  return { type: problemType(code), title: info.description, status: info.http, detail, code, ...extensions };
}

/** A problem listing every broken rule; its code and status are the first error's. */
export function problemForErrors(errors: readonly RuleError[], rejection?: SignedBytes, fallbackStatus?: number): Problem {
  const first = errors[0] ?? { code: 'http.internal', message: 'refused without a reason' };
  const status = statusOf(first.code, fallbackStatus ?? 500);
  const title = isRegisteredCode(first.code) ? errorCodes[first.code].description : first.code;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
  return {
    type: problemType(first.code),
    title,
    status,
    detail: `${first.path ? `${first.path}: ` : ''}${first.message}${more}`,
    code: first.code,
    errors,
    ...(rejection && { rejection: rejection.bytes.toString('utf8'), rejectionMediaType: rejection.mediaType }),
  };
}

/** The problem of a GatewayError (its facts' `errors`, when it carries several, are listed). */
export function problemFromError(err: GatewayError): Problem {
  const listed = Array.isArray(err.facts.errors) ? (err.facts.errors as RuleError[]) : undefined;
  if (listed && listed.length > 0) return problemForErrors(listed);
  return problemFor(err.code, err.message, {
    ...(err.facts.path !== undefined && { path: err.facts.path }),
    ...(err.facts.article !== undefined && { source: err.facts.article }),
  });
}

/** Sends a problem as `application/problem+json` with its status. */
export function sendProblem(res: Response, problem: Problem): void {
  res.status(problem.status).type(PROBLEM_MEDIA_TYPE).send(JSON.stringify(problem));
}

/** Sends the problem of any thrown value; unknown errors become `http.internal` without their text. */
export function sendError(res: Response, err: unknown, log: (message: string) => void): void {
  if (err instanceof GatewayError) {
    sendProblem(res, problemFromError(err));
    return;
  }
  const id = randomBytes(4).toString('hex');
  log(`mmgw http: unexpected error ${id}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  sendProblem(res, problemFor('http.internal', `the gateway failed unexpectedly (error id ${id})`, { errorId: id }));
}
