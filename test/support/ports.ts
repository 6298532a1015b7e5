import * as net from 'node:net';

/** Ports already handed out by this process: never twice (the kernel may give a released one again). */
const handedOut = new Set<number>();

/**
 * The ports this process picks from. Under jest each worker has a range of its own, below the
 * kernel's ephemeral ports (32768 and up on Linux): a port is picked, released and only then bound
 * by the server it is for (Postfix, Dovecot, MariaDB, a gateway), so with the kernel's choice two
 * workers could pick the same port in that gap, and a test would talk to another test's server
 * (seen: Postfix's SMTP port answered by another test's Dovecot LMTP, "500 Unknown command").
 * Outside jest: the kernel's choice.
 */
function workerRange(): readonly [number, number] | undefined {
  const id = Number(process.env.JEST_WORKER_ID);
  if (!Number.isInteger(id) || id < 1) return undefined;
  const size = 400; // 10000–29999: 50 workers (RESERVED skipped)
  const start = 10000 + ((id - 1) % 50) * size;
  return [start, start + size];
}

/** RabbitMQ's web ports and its distribution port, in the workers' ranges: never picked. */
const RESERVED = new Set([15672, 15692, 25672]);

function tryListen(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const got = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => resolve(got));
    });
  });
}

/** A free TCP port on 127.0.0.1, released at once, not handed out before by this process (see workerRange). */
export async function freePort(): Promise<number> {
  const range = workerRange();
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const wanted = range ? range[0] + Math.floor(Math.random() * (range[1] - range[0])) : 0;
    if (handedOut.has(wanted) || RESERVED.has(wanted)) continue;
    const port = await tryListen(wanted);
    if (port === undefined || handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port found${range ? ` in ${range[0]}–${range[1] - 1}` : ''} after 200 attempts`);
}

/** True when something accepts TCP connections on 127.0.0.1:`port`. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}
