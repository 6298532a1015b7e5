import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Router } from 'express';
import { GatewayError } from '../../contracts/errors/gateway-error';
import type { Clock } from '../../gateway/clock';
import type { GatewayConfig } from '../../gateway/config';
import { createHttpApp, type HttpApp } from './app';
import type { HttpPorts } from './ports';
import { startHttpsServer, type RunningServer, type ServerTls } from './server';

/**
 * The server's TLS material from the configuration: MMGW_TLS_CERT, MMGW_TLS_KEY (its passphrase
 * MMGW_KEY_PASSPHRASE) and the CA files of MMGW_TRUST_STORE. Throws `config.invalid` naming the
 * variables when they are not set (the composition root passes the dev PKI's instead).
 */
export function serverTlsFromConfig(config: GatewayConfig): ServerTls {
  const missing = [...(config.tls ? [] : ['MMGW_TLS_CERT', 'MMGW_TLS_KEY']), ...(config.trustStoreFiles ? [] : ['MMGW_TRUST_STORE'])];
  if (missing.length > 0 || !config.tls || !config.trustStoreFiles) {
    throw new GatewayError('config.invalid', `the HTTPS interface needs ${missing.join(', ')} (or the dev PKI)`, { problems: missing.map((variable) => ({ variable, message: `${variable} is not set` })) });
  }
  return {
    cert: readFileSync(config.tls.certFile),
    key: readFileSync(config.tls.keyFile),
    ...(config.keyPassphrase !== undefined && { passphrase: config.keyPassphrase }),
    ca: config.trustStoreFiles.map((f) => readFileSync(f)),
  };
}

/** What `serveHttps` needs besides the configuration. */
export interface ServeOptions {
  readonly config: GatewayConfig;
  readonly ports: HttpPorts;
  readonly clock: Clock;
  /** TLS material instead of the configured files (the dev PKI of `npm start`). */
  readonly tls?: ServerTls;
  readonly log?: (message: string) => void;
  /** The administrators' console (`consoleOf(gateway).router`), mounted at /console; none: no console. */
  readonly console?: Router;
}

/**
 * Starts the HTTPS interface as configured: MMGW_LISTEN, the limits, samples under
 * `MMGW_DATA_DIR/samples`, the shutdown grace, the console at /console when given. Pair with `closeOnSignals` for SIGTERM.
 */
export async function serveHttps(o: ServeOptions): Promise<RunningServer & { readonly http: HttpApp }> {
  const tls = o.tls ?? serverTlsFromConfig(o.config);
  const http = createHttpApp({ ports: o.ports, limits: o.config.limits, samplesDir: path.join(o.config.dataDir, 'samples'), clock: o.clock, ...(o.log && { log: o.log }), ...(o.console && { console: o.console }) });
  const running = await startHttpsServer({ http, tls, listen: o.config.listen, graceMs: o.config.limits.shutdownGraceMs, requestTimeoutMs: o.config.limits.requestTimeoutMs });
  return { ...running, close: running.close, http };
}
