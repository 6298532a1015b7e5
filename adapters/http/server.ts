import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:https';
import type { ListenAddress } from '../../gateway/config';
import type { HttpApp } from './app';

/** The TLS material of the server: PEM texts. */
export interface ServerTls {
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
  /** The passphrase of an encrypted key. */
  readonly passphrase?: string;
  /** The trust store: the CA certificates client certificates must chain to. */
  readonly ca: readonly (string | Buffer)[];
}

/** A listening HTTPS server. */
export interface RunningServer {
  readonly server: Server;
  /** `https://host:port` as bound (the real port when 0 was asked). */
  readonly url: string;
  readonly port: number;
  /**
   * Stops taking connections, lets in-flight requests finish (long polls answer at once), then
   * closes what is left after `graceMs`. Resolves when the server is closed.
   */
  close(): Promise<void>;
}

/** Options of `startHttpsServer`. */
export interface StartOptions {
  readonly http: HttpApp;
  readonly tls: ServerTls;
  readonly listen: ListenAddress;
  /** How long in-flight requests may run on close. */
  readonly graceMs: number;
  /** Node's limit on receiving a whole request (headers and body), in ms. @defaultValue the request time-out of the limits, or 60000 */
  readonly requestTimeoutMs?: number;
}

/**
 * Serves the app over HTTPS with mutual TLS: the server asks every client for a certificate
 * chained to `tls.ca` but does not drop the connection without one, so the app can answer 401
 * problem details (`requireCaller`); operations routes stay reachable to probes. TLS 1.2 or later.
 */
export function startHttpsServer(opts: StartOptions): Promise<RunningServer> {
  const server = createServer(
    {
      cert: opts.tls.cert,
      key: opts.tls.key,
      ...(opts.tls.passphrase !== undefined && { passphrase: opts.tls.passphrase }),
      ca: [...opts.tls.ca],
      requestCert: true,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
      requestTimeout: opts.requestTimeoutMs ?? 60_000,
      headersTimeout: 20_000,
      keepAliveTimeout: 5_000,
    },
    opts.http.app,
  );
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.listen.port, opts.listen.host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const host = opts.listen.host.includes(':') ? `[${opts.listen.host}]` : opts.listen.host;
      let closing: Promise<void> | undefined;
      resolve({
        server,
        port,
        url: `https://${host}:${port}`,
        close: () => (closing ??= drain(server, opts.http, opts.graceMs)),
      });
    });
  });
}

async function drain(server: Server, http: HttpApp, graceMs: number): Promise<void> {
  http.lifecycle.drain();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, graceMs);
  });
  await Promise.race([http.lifecycle.idle(), graceOver]);
  clearTimeout(timer);
  // Responses written while draining say Connection: close; what is left is idle keep-alive
  // connections, and whatever outlived the grace.
  server.closeIdleConnections();
  if (http.lifecycle.active > 0) server.closeAllConnections();
  const straggler = setTimeout(() => server.closeAllConnections(), 1000);
  await closed;
  clearTimeout(straggler);
}

/** Closes `running` on SIGTERM and SIGINT (once), then calls `exit`; returns a function removing the handlers. */
export function closeOnSignals(running: Pick<RunningServer, 'close'>, exit: (code: number) => void = (c) => process.exit(c)): () => void {
  const handler = (signal: NodeJS.Signals) => {
    remove();
    console.error(`mmgw: ${signal}: draining in-flight requests`);
    running.close().then(() => exit(0), () => exit(1));
  };
  const remove = () => {
    process.off('SIGTERM', handler);
    process.off('SIGINT', handler);
  };
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
  return remove;
}
