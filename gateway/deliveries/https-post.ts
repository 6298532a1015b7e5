import * as https from 'node:https';
import { rootCertificates } from 'node:tls';

/** How a push POST ended. */
export type PostOutcome =
  | { readonly kind: 'delivered'; readonly status: number }
  /** 3xx/4xx: the endpoint refuses the document; trying again will not help. */
  | { readonly kind: 'refused'; readonly status: number }
  /** No answer, a network error, a timeout or 5xx: worth trying again. */
  | { readonly kind: 'unavailable'; readonly detail: string };

/** Settings of the push client. */
export interface PushClientOptions {
  /** CAs to trust for the endpoints' TLS certificates besides Node's default ones (PEM). */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** @defaultValue 10000 */
  readonly timeoutMs?: number;
}

/** The defaults of the push client, written once. */
export const PUSH_DEFAULTS = { timeoutMs: 10_000 } as const;

/**
 * POSTs `body` to `url` over HTTPS (never plain HTTP, redirects not followed) within the timeout
 * (connection, TLS and answer together) and reads the answer's status; never throws.
 */
export function postDocument(url: URL, body: Buffer, headers: Record<string, string>, options: PushClientOptions): Promise<PostOutcome> {
  // `ca` replaces Node's roots: keep them, and add the configured ones.
  const extra: (string | Buffer)[] | undefined = options.ca === undefined ? undefined : typeof options.ca === 'string' || Buffer.isBuffer(options.ca) ? [options.ca] : [...options.ca];
  const agentCa = extra === undefined ? undefined : [...rootCertificates, ...extra];
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: PostOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = https.request(url, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) }, ...(agentCa ? { ca: agentCa } : {}) }, (res) => {
      const status = res.statusCode ?? 0;
      res.resume();
      res.on('end', () => finish(status >= 200 && status < 300 ? { kind: 'delivered', status } : status >= 500 || status < 200 ? { kind: 'unavailable', detail: `HTTP ${status}` } : { kind: 'refused', status }));
      res.on('error', (e) => finish({ kind: 'unavailable', detail: e.message }));
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ kind: 'unavailable', detail: `no answer within ${options.timeoutMs ?? PUSH_DEFAULTS.timeoutMs} ms` });
    }, options.timeoutMs ?? PUSH_DEFAULTS.timeoutMs);
    req.on('error', (e) => finish({ kind: 'unavailable', detail: e.message }));
    req.end(body);
  });
}
