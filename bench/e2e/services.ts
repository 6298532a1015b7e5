import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';

/** Where the services bench runs: MariaDB root without a password, RabbitMQ guest/guest (override with MMGW_BENCH_MARIADB_URL / MMGW_BENCH_AMQP_URL). */
export const BENCH_MARIADB_URL = process.env.MMGW_BENCH_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306';
export const BENCH_AMQP_URL = process.env.MMGW_BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** A resource made for this run and how to remove it. */
export interface Fresh {
  readonly url: string;
  drop(): Promise<void>;
}

function serverOptions(server: URL) {
  return { host: server.hostname, port: Number(server.port || 3306), user: decodeURIComponent(server.username), password: decodeURIComponent(server.password) };
}

/** Creates a database of its own on the MariaDB server at `serverUrl` (utf8mb4_bin, as the gateway's); `drop` drops it. */
export async function freshDatabase(serverUrl = BENCH_MARIADB_URL): Promise<Fresh> {
  const server = new URL(serverUrl);
  const name = `mmgw_bench_${randomBytes(4).toString('hex')}`;
  const admin = await createConnection(serverOptions(server));
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  await admin.end();
  server.pathname = `/${name}`;
  return {
    url: server.toString(),
    async drop() {
      const c = await createConnection(serverOptions(server));
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

/** Creates a RabbitMQ vhost of its own (rabbitmqctl add_vhost, set_permissions for the URL's user); `drop` deletes it. */
export function freshVhost(brokerUrl = BENCH_AMQP_URL): Fresh {
  const broker = new URL(brokerUrl);
  const vhost = `mmgw-bench-${randomBytes(4).toString('hex')}`;
  const ctl = (...args: string[]) => execFileSync('rabbitmqctl', ['-q', ...args], { stdio: 'ignore', timeout: 30_000 });
  ctl('add_vhost', vhost);
  ctl('set_permissions', '-p', vhost, decodeURIComponent(broker.username) || 'guest', '.*', '.*', '.*');
  broker.pathname = `/${encodeURIComponent(vhost)}`;
  return { url: broker.toString(), drop: async () => { ctl('delete_vhost', vhost); } };
}
