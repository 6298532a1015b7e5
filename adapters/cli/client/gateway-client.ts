import { request } from 'node:https';
import { isIP } from 'node:net';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { DEV_SERVER_NAME } from '../../../gateway/app/dev-pki';
import type { ClientIdentity } from './identity';

/** The gateway a client reaches when --gateway is not given: MMGW_LISTEN's address, else https://127.0.0.1:8443. */
export function defaultGatewayUrl(env: NodeJS.ProcessEnv = process.env): string {
  const listen = env.MMGW_LISTEN?.trim();
  const m = listen ? /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(listen) : null;
  if (!m || m[3] === '0') return 'https://127.0.0.1:8443';
  const host = m[1] !== undefined ? `[${m[1] === '::' ? '::1' : m[1]}]` : m[2] === '' || m[2] === '0.0.0.0' ? '127.0.0.1' : m[2]!;
  return `https://${host}:${m[3]}`;
}

/** An answer of the gateway. */
export interface ClientResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/** A small HTTPS client of one gateway, authenticating with the identity's certificate (mutual TLS). */
export class GatewayClient {
  private readonly base: URL;

  constructor(gatewayUrl: string, readonly identity: ClientIdentity) {
    try {
      this.base = new URL(gatewayUrl);
    } catch {
      throw new GatewayError('usage.invalid-argument', `--gateway must be a URL like https://127.0.0.1:8443, got "${gatewayUrl}"`, { path: '--gateway' });
    }
    if (this.base.protocol !== 'https:') throw new GatewayError('usage.invalid-argument', `--gateway must be an https:// URL (the gateway speaks only HTTPS with client certificates), got "${gatewayUrl}"`, { path: '--gateway' });
  }

  /** The institution the client acts as. */
  get code(): string {
    return this.identity.code;
  }

  /** One request; resolves with any status, rejects `client.unreachable` when no answer came. */
  send(method: string, path: string, body?: { readonly bytes: Buffer; readonly type: string }, timeoutMs = 120_000): Promise<ClientResponse> {
    const url = new URL(path, this.base);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          agent: false, // one connection per request: a CLI run leaves no socket open behind it
          key: this.identity.keyPem,
          cert: this.identity.certPem,
          ...(this.identity.passphrase !== undefined && { passphrase: this.identity.passphrase }),
          ...(this.identity.ca.length > 0 && { ca: [...this.identity.ca] }),
          // The dev server certificate names localhost; reached by IP address, check it under that name.
          ...(isIP(host) !== 0 && { servername: DEV_SERVER_NAME }),
          headers: { accept: 'application/json, application/problem+json, application/xml, application/jose+json', ...(body && { 'content-type': body.type, 'content-length': String(body.bytes.length) }) },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', (e) => reject(unreachable(this.base, e)));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (e) => reject(unreachable(this.base, e)));
      req.end(body?.bytes);
    });
  }

  /** A request whose 2xx JSON answer is returned; any other answer throws a `RefusedError` carrying it. */
  async json<T>(method: string, path: string, body?: { readonly bytes: Buffer; readonly type: string }): Promise<T> {
    const res = await this.send(method, path, body);
    if (res.status < 200 || res.status > 299) throw new RefusedError(res);
    return parseJson<T>(res);
  }
}

/** A JSON answer's body; `client.bad-response` when it is not JSON. */
export function parseJson<T>(res: ClientResponse): T {
  try {
    return JSON.parse(res.body.toString('utf8')) as T;
  } catch {
    throw new GatewayError('client.bad-response', `the gateway answered ${res.status} with a body that is not JSON: ${res.body.toString('utf8').slice(0, 200)}`);
  }
}

/** A non-2xx answer of the gateway, to be printed as its problem details. */
export class RefusedError extends Error {
  constructor(readonly response: ClientResponse) {
    super(`the gateway answered ${response.status}`);
  }
}

function unreachable(base: URL, e: Error): GatewayError {
  const code = (e as NodeJS.ErrnoException).code;
  const hint = code === 'ECONNREFUSED' ? ' — is the gateway running (npm start)?' : '';
  return new GatewayError('client.unreachable', `cannot reach the gateway at ${base.origin}: ${code ?? ''}${code ? ' ' : ''}${e.message}${hint}`);
}
