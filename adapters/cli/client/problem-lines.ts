import type { ClientResponse } from './gateway-client';

interface ProblemJson {
  readonly status?: number;
  readonly code?: string;
  readonly title?: string;
  readonly detail?: string;
  readonly errors?: readonly { readonly code?: string; readonly path?: string; readonly message?: string; readonly source?: string }[];
}

/**
 * A refusal as lines, read like the API's problem details: the status and code with the detail,
 * then every error as `path: message [code] (source)`.
 */
export function problemLines(res: ClientResponse): string[] {
  let p: ProblemJson;
  try {
    p = JSON.parse(res.body.toString('utf8')) as ProblemJson;
  } catch {
    return [`refused: HTTP ${res.status}: ${res.body.toString('utf8').slice(0, 500) || '(no body)'}`];
  }
  const retry = res.headers['retry-after'];
  const lines = [`refused: HTTP ${p.status ?? res.status} ${p.code ?? '(no code)'}: ${p.detail ?? p.title ?? ''}${retry !== undefined ? ` (retry after ${String(retry)} s)` : ''}`];
  for (const e of p.errors ?? []) {
    lines.push(`  ${e.path ? `${e.path}: ` : ''}${e.message ?? ''} [${e.code ?? '?'}]${e.source ? ` (${e.source})` : ''}`);
  }
  return lines;
}
