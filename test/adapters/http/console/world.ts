import * as fs from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request } from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { corePorts, coreSamples, createHttpApp, startHttpsServer, type RunningServer } from '../../../../adapters/http';
import { addAccount, consoleOf, type ConsoleApp, type ConsoleOptions } from '../../../../adapters/http/console';
import { createGateway, type Gateway } from '../../../../gateway/app';
import { systemClock } from '../../../../gateway/clock';
import { readGatewayConfig } from '../../../../gateway/config';

/** The accounts every console test signs in with (passwords made up here, never in the repo's data). */
export const ACCOUNTS = {
  admin: { username: 'gw-admin', password: 'correct horse battery', role: 'gateway-admin' },
  cmcc: { username: 'cmcc-admin', password: 'cmcc admin password 1', role: 'institution-admin', institution: 'op-cmcc' },
  cucc: { username: 'cucc-admin', password: 'cucc admin password 2', role: 'institution-admin', institution: 'op-cucc' },
  clerk: { username: 'clerk', password: 'clerk password 3', role: 'clerk' },
  auditor: { username: 'auditor', password: 'auditor password 4', role: 'auditor' },
} as const;

/** A real gateway core (SQLite, embedded bus, dev PKI, routing workers) with its HTTPS interface and the console, on a fresh data directory. */
export interface ConsoleWorld {
  readonly dir: string;
  readonly gateway: Gateway;
  readonly console: ConsoleApp;
  readonly server: RunningServer;
  readonly url: string;
  close(): Promise<void>;
}

export async function openConsoleWorld(options: Partial<ConsoleOptions> = {}): Promise<ConsoleWorld> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-console-'));
  const config = readGatewayConfig({ MMGW_LISTEN: '127.0.0.1:0', MMGW_RATE_LIMIT_BURST: '1000' }, dir);
  const gateway = await createGateway(config, { clock: systemClock, embeddedPollMs: 20, schedulerIntervalMs: 3_600_000, log: () => undefined });
  const consoleApp = consoleOf(gateway, [], options);
  for (const a of Object.values(ACCOUNTS)) await addAccount(gateway.dataSource, a, systemClock.now());
  const http = createHttpApp({
    ports: corePorts({
      dataSource: gateway.dataSource, bus: gateway.bus, trust: gateway.trust, delivery: gateway.delivery, clock: systemClock,
      submit: gateway.intake, samples: coreSamples({ dataSource: gateway.dataSource, clock: systemClock }), queues: Object.keys(gateway.topology.queues),
    }),
    limits: config.limits, samplesDir: path.join(config.dataDir, 'samples'), clock: systemClock, console: consoleApp.router, log: () => undefined,
  });
  const server = await startHttpsServer({
    http, listen: { host: '127.0.0.1', port: 0 }, graceMs: 1000,
    tls: { cert: gateway.pki.server.cert, key: gateway.pki.server.key, passphrase: gateway.passphrase.passphrase, ca: gateway.trustPems },
  });
  return {
    dir, gateway, console: consoleApp, server, url: server.url,
    async close() {
      await server.close();
      await gateway.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An HTTP answer of the console. */
export interface Page {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A cookie-keeping HTTP(S) client of the console (the dev server certificate is not checked; a client certificate when given). */
export class Browserless {
  private cookies = new Map<string, string>();

  constructor(private readonly base: string, private readonly clientCert?: { key: string; cert: string; passphrase?: string }) {}

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** Plants a cookie (e.g. a session token kept after sign-out). */
  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  async get(p: string): Promise<Page> {
    return this.send('GET', p);
  }

  async post(p: string, form: Record<string, string>): Promise<Page> {
    return this.send('POST', p, new URLSearchParams(form).toString());
  }

  /** Posts a `multipart/form-data` form (a file input) as a browser does. */
  async postMultipart(p: string, form: Record<string, string>, files: Record<string, { name: string; type: string; bytes: Buffer }>): Promise<Page> {
    const boundary = `----mmgw${Math.random().toString(16).slice(2)}`;
    const parts: Buffer[] = [];
    for (const [k, v] of Object.entries(form)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    for (const [k, f] of Object.entries(files)) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`), f.bytes, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return this.send('POST', p, Buffer.concat(parts), `multipart/form-data; boundary=${boundary}`);
  }

  /** The CSRF token of the forms of a page. */
  static csrf(page: Page): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(page.body);
    if (!m) throw new Error(`no CSRF field in:\n${page.body.slice(0, 500)}`);
    return m[1]!;
  }

  async signIn(username: string, password: string): Promise<Page> {
    const form = await this.get('/console/login');
    return this.post('/console/login', { _csrf: Browserless.csrf(form), username, password });
  }

  private send(method: string, p: string, body?: string | Buffer, contentType = 'application/x-www-form-urlencoded'): Promise<Page> {
    const u = new URL(p, this.base);
    return new Promise((resolve, reject) => {
      const send = u.protocol === 'http:' ? httpRequest : request;
      const req = send(u, {
        method, rejectUnauthorized: false,
        ...(this.clientCert && { key: this.clientCert.key, cert: this.clientCert.cert, passphrase: this.clientCert.passphrase }),
        headers: {
          cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          ...(body !== undefined && { 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)) }),
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          for (const line of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
            const [pair] = line.split(';');
            const i = pair!.indexOf('=');
            const name = pair!.slice(0, i);
            const value = pair!.slice(i + 1);
            if (value === '' || /Max-Age=0/i.test(line)) this.cookies.delete(name);
            else this.cookies.set(name, value);
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}
