import { readFileSync } from 'node:fs';
import { relative, resolve as pathResolve } from 'node:path';
import type { Command } from 'commander';
import { closeOnSignals, corePorts, coreSamples, serveHttps, type RunningServer, type ServerTls } from '../../http';
import { emailChannel, type EmailChannel } from '../../email/channel';
import { consoleOf, listAccounts, type ConsoleOptions } from '../../http/console';
import { createGateway, type Gateway } from '../../../gateway/app';
import { systemClock, type Clock } from '../../../gateway/clock';
import { readGatewayConfig, type GatewayConfig } from '../../../gateway/config';
import { DEFAULT_SQLITE_PATH } from '../../../gateway/store/database-url';
import type { CommandContext, CommandModule } from './index';

/** The line `mmgw start` prints once it takes requests (tests and scripts wait for it). */
export const READY_LINE = 'mmgw: ready';

/** The TLS material: MMGW_TLS_CERT/KEY and MMGW_TRUST_STORE where set, the dev PKI's for the rest. */
function serverTls(config: GatewayConfig, gateway: Gateway): ServerTls {
  const passphrase = config.tls ? config.keyPassphrase : gateway.passphrase.passphrase;
  return {
    cert: config.tls ? readFileSync(config.tls.certFile) : gateway.pki.server.cert,
    key: config.tls ? readFileSync(config.tls.keyFile) : gateway.pki.server.key,
    ...(passphrase !== undefined && { passphrase }),
    ca: gateway.trustPems,
  };
}

function shown(dir: string, cwd: string): string {
  const r = relative(cwd, dir);
  return r === '' ? '.' : r.startsWith('..') ? dir : `./${r}`;
}

/**
 * How to create the first console account against the database this gateway runs on:
 * `mmgw console-user` opens MMGW_DATABASE_URL (unset: ./data/mmgw.sqlite), so another SQLite
 * file is named, and a MySQL URL is referred to, never echoed (it holds a password).
 */
export function consoleUserHint(config: GatewayConfig, cwd: string): string {
  const db = config.database;
  const prefix = db.kind === 'mysql'
    ? 'with the same MMGW_DATABASE_URL: '
    : pathResolve(cwd, db.path) === pathResolve(cwd, DEFAULT_SQLITE_PATH) ? '' : `MMGW_DATABASE_URL=sqlite:${shown(pathResolve(cwd, db.path), cwd)} `;
  return `mmgw: no console account yet; create the first one from another terminal (the password is asked twice): ${prefix}npx mmgw console-user add admin --role gateway-admin`;
}

/** The console's options from the configuration (MMGW_CONSOLE_…, MMGW_CONTACT_MAX_FUTURE_DAYS). */
export function consoleOptionsOf(config: GatewayConfig, log: (line: string) => void): Partial<ConsoleOptions> {
  const c = config.console;
  return {
    sessionMinutes: c.sessionMinutes, maxFailedSignIns: c.maxFailedSignIns, lockoutMinutes: c.lockoutMinutes, dueSoonHours: c.dueSoonHours, maxUploadBytes: c.maxUploadBytes,
    maxFailedSignInsPerAddress: c.maxFailedSignInsPerAddress, addressWindowMinutes: c.addressWindowMinutes, language: c.language,
    contacts: { maxFutureDays: config.contacts.maxFutureDays }, log,
  };
}

/** What `mmgw start` prints: where it listens, what it runs on, what the first start made, how to act as an institution, the console. */
export function banner(url: string, config: GatewayConfig, gateway: Gateway, cwd: string, consoleAccounts?: number): string[] {
  const data = shown(config.dataDir, cwd);
  const defaultData = config.dataDir === readGatewayConfig({}, cwd).dataDir;
  const dd = defaultData ? '' : ` --data-dir ${data}`;
  const gw = url === 'https://127.0.0.1:8443' ? '' : ` --gateway ${url}`;
  const lines = [
    `mmgw: gateway listening on ${url}`,
    `mmgw: data in ${data} (${config.database.kind === 'sqlite' ? `SQLite ${shown(config.database.path, cwd)}` : `MySQL ${config.database.host}/${config.database.database}`}, ${gateway.bus.kind === 'rabbitmq' ? 'RabbitMQ bus' : 'embedded bus'})`,
  ];
  const first = gateway.firstStart;
  if (first.pkiCreated) lines.push(`mmgw: first start: created the dev PKI in ${data}/pki (a dev CA, a credential per demo institution, the gateway's own, a server certificate for localhost)`);
  if (first.passphraseGenerated) lines.push(`mmgw: the dev keys are encrypted with a passphrase generated into ${data}/pki/.passphrase (mode 0600); set MMGW_KEY_PASSPHRASE to choose your own`);
  if (first.seeded.length > 0) lines.push(`mmgw: seeded the demo registry: ${first.seeded.length} institutions (miit, cncert, ca-11 … ca-65, op-cmcc, op-cucc, op-ctcc, op-cbn, dr-cnnic, rr-demo)`);
  lines.push(
    'mmgw: act as an institution from another terminal, with its dev credential:',
    `  npx mmgw send contracts/examples/incident-report.json --as op-cmcc${gw}${dd}`,
    `  npx mmgw inbox --as miit${gw}${dd}`,
    `  npx mmgw ack DELIVERY --as miit${gw}${dd}`,
    `  npx mmgw status MESSAGE --as op-cmcc${gw}${dd}`,
  );
  if (consoleAccounts !== undefined) {
    lines.push(`mmgw: administrators' console on ${url}/console/ (sign in with a console account, or an institution's client certificate)`);
    if (consoleAccounts === 0) lines.push(consoleUserHint(config, cwd));
  }
  lines.push('mmgw: Ctrl-C (SIGINT) or SIGTERM drains and stops');
  return lines;
}

/**
 * The HTTPS interface on a running gateway core: every port bound to it, TLS from `serverTls`,
 * and the administrators' console at /console unless MMGW_CONSOLE=off (the server asks for a
 * client certificate but does not require one, so a browser without one reaches the sign-in page).
 */
export function serveGateway(config: GatewayConfig, gateway: Gateway, clock: Clock, log: (line: string) => void): Promise<RunningServer> {
  return serveHttps({
    config, clock, tls: serverTls(config, gateway), log,
    ...(config.console.enabled && { console: consoleOf(gateway, [], consoleOptionsOf(config, log)).router }),
    ports: corePorts({
      dataSource: gateway.dataSource, bus: gateway.bus, trust: gateway.trust, delivery: gateway.delivery, clock,
      submit: gateway.intake, samples: coreSamples({ dataSource: gateway.dataSource, clock }), queues: Object.keys(gateway.topology.queues),
    }),
  });
}

/** What `mmgw start` runs: the gateway core, its HTTPS interface and, when configured, its e-mail channel. */
export interface StartedServices {
  readonly gateway: Gateway;
  readonly server: RunningServer;
  /** The e-mail channel (MMGW_SMTP_URL, MMGW_IMAP_URL), or undefined when it is off. */
  readonly email?: EmailChannel;
  /** The console accounts there were at start, or undefined when the console is off (MMGW_CONSOLE=off). */
  readonly consoleAccounts?: number;
  /** Stops in order: the HTTPS interface (draining), the e-mail intake, the core (its workers), the SMTP transport. */
  close(): Promise<void>;
}

/**
 * Starts what `mmgw start` runs, from a read configuration: the e-mail channel's Mailer goes into
 * the core (createGateway's `mailer`), the HTTPS interface on the core, then the IMAP intake.
 */
export async function startServices(config: GatewayConfig, clock: Clock, log: (line: string) => void): Promise<StartedServices> {
  const email = config.email ? emailChannel(config.email, clock, log) : undefined;
  const gateway = await createGateway(config, { clock, log, ...(email && { mailer: email.mailer }) });
  let server: RunningServer;
  let consoleAccounts: number | undefined;
  try {
    if (config.console.enabled) consoleAccounts = (await listAccounts(gateway.dataSource)).length;
    server = await serveGateway(config, gateway, clock, log);
    email?.startIntake(gateway);
  } catch (e) {
    await email?.stop();
    await gateway.stop();
    throw e;
  }
  return {
    gateway, server, ...(email && { email }), ...(consoleAccounts !== undefined && { consoleAccounts }),
    async close() {
      await server.close();
      await email?.stopIntake();
      await gateway.stop();
      await email?.stop();
    },
  };
}

/** `mmgw start`: the gateway with its HTTPS interface, configured by MMGW_* variables, until SIGTERM/SIGINT. */
export function createStartCommand(env: NodeJS.ProcessEnv = process.env, clock: Clock = systemClock): CommandModule {
  return {
    register(program: Command, ctx: CommandContext): void {
      program
        .command('start')
        .description('starts the gateway: with no configuration, SQLite under ./data, the embedded bus, the demo registry and a dev PKI made on first start, HTTPS with client certificates on 127.0.0.1:8443, the administrators\' console at /console (MMGW_CONSOLE=off: none)')
        .addHelpText('after', '\nConfigured by MMGW_* environment variables (see the README, "Configuration"). Stops on SIGTERM or SIGINT after draining in-flight requests (exit 0). Exit 2 for a bad configuration, 3 when the database or the broker is unreachable.')
        .action(async () => {
          const cwd = process.cwd();
          const config = readGatewayConfig(env, cwd);
          const { gateway, server, email, consoleAccounts, close } = await startServices(config, clock, (line) => ctx.io.err(line));
          const stopped = new Promise<number>((resolve) => {
            closeOnSignals({ close }, resolve);
          });
          for (const line of banner(server.url, config, gateway, cwd, consoleAccounts)) ctx.io.out(line);
          if (email) ctx.io.out(email.describe());
          ctx.io.out(READY_LINE);
          ctx.exitCode = await stopped;
          ctx.io.err(ctx.exitCode === 0 ? 'mmgw: stopped' : 'mmgw: stopped with errors');
        });
    },
  };
}

/** The command as registered in `commandModules`. */
export const startCommand = createStartCommand();
