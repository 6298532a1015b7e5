import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { freePort, listening } from './ports';

export { freePort };

/**
 * A private RabbitMQ node and a private MariaDB instance for the fault tests (issue 4, item 7):
 * their own ports, node name and data directories in a temporary directory, so a test may stop,
 * SIGKILL and restart them without disturbing the machine's services. Outside CI, missing
 * binaries skip LOUDLY (console.warn); with CI set they fail.
 */

const RABBITMQ_SERVER = '/usr/sbin/rabbitmq-server';
const RABBITMQCTL = '/usr/sbin/rabbitmqctl';
const MARIADBD = '/usr/sbin/mariadbd';
const INSTALL_DB = ['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db'];

/** True when rabbitmq-server, rabbitmqctl, mariadbd and mariadb-install-db are installed. */
export function privateServicesInstalled(): boolean {
  return [RABBITMQ_SERVER, RABBITMQCTL, MARIADBD].every((p) => existsSync(p)) && INSTALL_DB.some((p) => existsSync(p));
}

/**
 * Whether a test needing private services may run: true when installed; otherwise fails in CI
 * and warns loudly elsewhere (the caller returns at once).
 */
export function privateServicesOrSkip(testFile: string): boolean {
  if (privateServicesInstalled()) return true;
  if (process.env.CI) throw new Error(`${testFile} needs rabbitmq-server and mariadbd (CI is set) but they are not installed`);
  console.warn(`\n!!!!! SKIPPED: ${testFile} needs rabbitmq-server, rabbitmqctl, mariadbd and mariadb-install-db, which are not installed. With CI=true it fails. !!!!!\n`);
  return false;
}


function run(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** True while `pid` runs (a zombie, killed but not reaped yet, counts as ended). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

function tail(file: string, chars = 4000): string {
  try {
    const text = readFileSync(file, 'utf8');
    return text.slice(-chars);
  } catch {
    return '';
  }
}

/** A running private RabbitMQ node. */
export interface PrivateRabbitMq {
  readonly nodeName: string;
  readonly port: number;
  /** amqp://guest:guest@127.0.0.1:PORT (guest may log in from localhost). */
  readonly url: string;
  /** Stops the node cleanly (`rabbitmqctl stop`) and waits for its process to end. */
  stop(): Promise<void>;
  /**
   * Kills the node with SIGKILL (no clean shutdown: quorum queues recover from their write-ahead
   * log at the next start): the Erlang VM named in its pid file, then the rest of its process
   * group (the su and shell wrappers); waits for them to end.
   */
  kill(): Promise<void>;
  /** Starts the node again on the same data directory and port; resolves once it booted. */
  start(): Promise<void>;
  /** Stops the node (if running) and removes its directory. */
  dispose(): Promise<void>;
}

/** Starts a private RabbitMQ node (own node name, ports, data and log directories); resolves once `await_startup` answered. */
export async function startPrivateRabbitMq(): Promise<PrivateRabbitMq> {
  const dir = mkdtempSync(join(tmpdir(), 'mmgw-fault-rabbit-'));
  const nodeName = `mmgw-fault-${randomBytes(4).toString('hex')}@localhost`;
  const port = await freePort();
  const distPort = await freePort();
  const pluginsFile = join(dir, 'enabled_plugins');
  writeFileSync(pluginsFile, '[].\n');
  mkdirSync(join(dir, 'mnesia'));
  mkdirSync(join(dir, 'log'));
  // As root, rabbitmq-server and rabbitmqctl run as the rabbitmq user (Debian's wrapper: su), which must own the directory.
  if (process.getuid?.() === 0) await run('/bin/chown', ['-R', 'rabbitmq:rabbitmq', dir], process.env, 10_000);
  chmodSync(dir, 0o755);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_ENABLED_PLUGINS_FILE: pluginsFile,
    RABBITMQ_PID_FILE: join(dir, 'node.pid'),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
    RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
  };
  const outFile = join(dir, 'server.out');
  let child: ChildProcess | undefined;
  const ctl = (args: string[], timeoutMs = 60_000) => run(RABBITMQCTL, ['-n', nodeName, ...args], env, timeoutMs);
  const node: PrivateRabbitMq = {
    nodeName, port, url: `amqp://guest:guest@127.0.0.1:${port}`,
    async start() {
      const out = openSync(outFile, 'a');
      child = spawn(RABBITMQ_SERVER, [], { env, stdio: ['ignore', out, out], detached: true });
      closeSync(out);
      // await_startup fails at once while the node has not registered with epmd yet: retry until it answers.
      const deadline = Date.now() + 90_000;
      for (;;) {
        try {
          await ctl(['await_startup', '--timeout', '60'], 70_000);
          break;
        } catch (e) {
          if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the private RabbitMQ ${nodeName} did not start: ${(e as Error).message}\n${tail(outFile)}`, { cause: e });
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      for (let i = 0; i < 100 && !(await listening(port)); i += 1) await new Promise((r) => setTimeout(r, 50));
    },
    async stop() {
      const c = child;
      if (c === undefined || c.exitCode !== null || c.signalCode !== null) return;
      await ctl(['stop'], 60_000).catch(() => { c.kill('SIGKILL'); });
      await exited(c);
    },
    async kill() {
      const c = child;
      if (c === undefined || c.exitCode !== null || c.signalCode !== null) return;
      const pidFile = join(dir, 'node.pid');
      const beam = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : NaN;
      const signal = (pid: number) => { try { process.kill(pid, 'SIGKILL'); } catch { /* gone already */ } };
      if (Number.isInteger(beam) && beam > 1) signal(beam);
      // The node was spawned detached: its wrappers lead their own process group (the machine's epmd is not in it).
      signal(-c.pid!);
      await exited(c);
      if (Number.isInteger(beam) && beam > 1) {
        for (let i = 0; i < 200 && alive(beam); i += 1) await new Promise((r) => setTimeout(r, 25));
        if (alive(beam)) throw new Error(`the private RabbitMQ ${nodeName} (pid ${beam}) survived SIGKILL`);
      }
      rmSync(pidFile, { force: true }); // never signal a reused pid later
    },
    async dispose() {
      await node.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await node.start();
  } catch (e) {
    await node.dispose().catch(() => undefined);
    throw e;
  }
  return node;
}

/** A running private MariaDB instance (root, empty password, TCP on 127.0.0.1). */
export interface PrivateMariaDb {
  readonly port: number;
  /** mysql://root@127.0.0.1:PORT/DATABASE of the database created at start. */
  readonly url: string;
  /** Kills mariadbd with SIGKILL (no clean shutdown: InnoDB recovers at the next start). */
  kill(): Promise<void>;
  /** Starts mariadbd again on the same data directory and port; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Kills the instance (if running) and removes its directory. */
  dispose(): Promise<void>;
}

/** Options of the private MariaDB. */
export interface PrivateMariaDbOptions {
  /**
   * Where its directory is made. A tmpfs (/dev/shm) makes fsync free: a SIGKILL of mariadbd
   * keeps what it wrote either way (the page cache survives a process), only a machine crash
   * would not — so crash tests of processes stay meaningful and run several times faster.
   * @defaultValue os.tmpdir()
   */
  readonly baseDir?: string;
}

/** Initialises a data directory, starts a private mariadbd on it and creates one database. */
export async function startPrivateMariaDb(options: PrivateMariaDbOptions = {}): Promise<PrivateMariaDb> {
  const dir = mkdtempSync(join(options.baseDir ?? tmpdir(), 'mmgw-fault-maria-'));
  const dataDir = join(dir, 'data');
  const port = await freePort();
  const socket = join(dir, 'mariadb.sock');
  const logFile = join(dir, 'mariadbd.err');
  const installer = INSTALL_DB.find((p) => existsSync(p))!;
  await run(installer, ['--no-defaults', `--datadir=${dataDir}`, '--auth-root-authentication-method=normal', '--user=root', '--skip-test-db', '--skip-name-resolve'], process.env, 120_000);
  const database = `mmgw_fault_${randomBytes(4).toString('hex')}`;
  let child: ChildProcess | undefined;
  const instance: PrivateMariaDb = {
    port, url: `mysql://root@127.0.0.1:${port}/${database}`,
    async start() {
      child = spawn(MARIADBD, [
        '--no-defaults', `--datadir=${dataDir}`, `--port=${port}`, '--bind-address=127.0.0.1', `--socket=${socket}`, '--user=root',
        `--log-error=${logFile}`, `--pid-file=${join(dir, 'mariadbd.pid')}`, '--skip-name-resolve', '--innodb-flush-log-at-trx-commit=1',
        '--max-connections=500', '--innodb-buffer-pool-size=128M', '--innodb-log-file-size=64M',
      ], { stdio: 'ignore', detached: true });
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`the private mariadbd exited with ${child.exitCode}:\n${tail(logFile)}`);
        try {
          const c = await createConnection({ host: '127.0.0.1', port, user: 'root', password: '' });
          await c.query(`CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
          await c.end();
          return;
        } catch (e) {
          if (Date.now() > deadline) throw new Error(`the private mariadbd does not accept connections after 60 s: ${(e as Error).message}\n${tail(logFile)}`, { cause: e });
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    },
    async kill() {
      const c = child;
      if (c === undefined || c.exitCode !== null || c.signalCode !== null) return;
      c.kill('SIGKILL');
      await exited(c);
    },
    async dispose() {
      await instance.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await instance.start();
  } catch (e) {
    await instance.dispose().catch(() => undefined);
    throw e;
  }
  return instance;
}
