import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** A request the test endpoint received. */
export interface Received {
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** A local HTTPS endpoint with a self-signed certificate generated for this run (CN and SAN localhost). */
export interface TestEndpoint {
  readonly url: (p: string) => string;
  /** The self-signed certificate, PEM: the CA the push client must be told to trust. */
  readonly certPem: string;
  readonly received: Received[];
  /** Sets the answers for a path: the statuses of successive requests (the last one repeats); `hang` never answers. */
  answer(p: string, statuses: readonly (number | 'hang')[]): void;
  close(): Promise<void>;
}

/** Starts the endpoint on an ephemeral port of 127.0.0.1. */
export async function startTestEndpoint(): Promise<TestEndpoint> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-push-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
  const certPem = fs.readFileSync(cert, 'utf8');
  const keyPem = fs.readFileSync(key, 'utf8');
  fs.rmSync(dir, { recursive: true, force: true });
  const received: Received[] = [];
  const answers = new Map<string, (number | 'hang')[]>();
  const hanging: ServerResponse[] = [];
  const server = https.createServer({ key: keyPem, cert: certPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const p = req.url ?? '/';
      received.push({ path: p, headers: req.headers, body: Buffer.concat(chunks) });
      const list = answers.get(p) ?? [200];
      const status = list.length > 1 ? list.shift()! : list[0]!;
      if (status === 'hang') {
        hanging.push(res);
        return;
      }
      res.writeHead(status, { 'content-type': 'text/plain' }).end(`status ${status}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (p) => `https://localhost:${port}${p}`,
    certPem,
    received,
    answer: (p, statuses) => { answers.set(p, [...statuses]); },
    close: async () => {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
