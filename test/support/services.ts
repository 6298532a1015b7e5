import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import { createConnection } from 'mysql2/promise';

/**
 * Tests that need a real service (style.md, "Tests tell the truth about the world they need").
 * Outside CI a missing service skips those tests LOUDLY (console.warn); with CI set it fails them.
 */

/** The MariaDB server tests use; a fresh database is created in it per test file. */
export const TEST_MARIADB_URL = process.env.MMGW_TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/test';
/** The RabbitMQ broker tests use; a fresh vhost is created in it per test file when rabbitmqctl allows. */
export const TEST_AMQP_URL = process.env.MMGW_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port || defaultPort) });
    socket.setTimeout(1000);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
    socket.once('error', () => resolve(false));
  });
}

/** A service a test file needs: `available` is known after beforeAll ran. */
export interface ServiceHandle {
  /** False when the service was unreachable outside CI: the test must return at once (it was reported as skipped). */
  readonly available: boolean;
  /** The URL to use (a fresh database or vhost). */
  readonly url: string;
}

async function checkOrSkip(name: string, url: string, port: number, testFile: string): Promise<boolean> {
  if (await reachable(url, port)) return true;
  if (process.env.CI) throw new Error(`${name} at ${new URL(url).host} is required in CI (CI is set) but unreachable`);
  console.warn(`\n!!!!! SKIPPED: ${testFile} needs ${name} at ${new URL(url).host}, which is unreachable. Its tests pass vacuously here; with CI=true they fail. !!!!!\n`);
  return false;
}

/** Gives the test file a fresh MariaDB database (created in beforeAll, dropped in afterAll). */
export function useMariaDb(testFile: string): ServiceHandle {
  const state = { available: false, url: '' };
  const server = new URL(TEST_MARIADB_URL);
  const database = `mmgw_t_${randomBytes(6).toString('hex')}`;
  const admin = () => createConnection({ host: server.hostname, port: Number(server.port || 3306), user: decodeURIComponent(server.username), password: decodeURIComponent(server.password) });
  beforeAll(async () => {
    state.available = await checkOrSkip('MariaDB', TEST_MARIADB_URL, 3306, testFile);
    if (!state.available) return;
    const c = await admin();
    await c.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    await c.end();
    const u = new URL(TEST_MARIADB_URL);
    u.pathname = `/${database}`;
    state.url = u.toString();
  });
  afterAll(async () => {
    if (!state.available) return;
    const c = await admin();
    await c.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await c.end();
  });
  return state;
}

function rabbitmqctl(...args: string[]): boolean {
  try {
    execFileSync('rabbitmqctl', ['-q', ...args], { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Gives the test file a fresh RabbitMQ vhost (through rabbitmqctl; the default vhost when
 * rabbitmqctl is not available to this user — the bus tests use random names too).
 */
export function useRabbitMq(testFile: string): ServiceHandle & { readonly vhost: string; readonly withRabbitmqctl: () => boolean } {
  let created = false;
  const state = {
    available: false, url: '', vhost: '/',
    /** True when the broker is up and this file has its own vhost (rabbitmqctl worked); false (loudly, failing in CI) otherwise. */
    withRabbitmqctl: (): boolean => {
      if (!state.available) return false;
      if (created) return true;
      if (process.env.CI) throw new Error('rabbitmqctl is required in CI (CI is set) but could not create a vhost');
      console.warn(`\n!!!!! SKIPPED: a test of ${testFile} needs rabbitmqctl (a vhost of its own), which failed here. !!!!!\n`);
      return false;
    },
  };
  const vhost = `mmgw-t-${randomBytes(6).toString('hex')}`;
  beforeAll(async () => {
    state.available = await checkOrSkip('RabbitMQ', TEST_AMQP_URL, 5672, testFile);
    if (!state.available) return;
    const user = decodeURIComponent(new URL(TEST_AMQP_URL).username || 'guest');
    created = rabbitmqctl('add_vhost', vhost) && rabbitmqctl('set_permissions', '-p', vhost, user, '.*', '.*', '.*');
    if (!created) console.warn(`\n!!!!! ${testFile}: rabbitmqctl could not create a vhost; using the default vhost "/" with random names. !!!!!\n`);
    state.vhost = created ? vhost : '/';
    const u = new URL(TEST_AMQP_URL);
    u.pathname = `/${encodeURIComponent(state.vhost)}`;
    state.url = u.toString();
  }, 30_000);
  afterAll(() => {
    if (created) rabbitmqctl('delete_vhost', vhost);
  }, 30_000);
  return state;
}
