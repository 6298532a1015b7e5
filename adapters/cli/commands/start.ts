import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Command } from 'commander';
import { closeOnSignals, corePorts, coreSamples, serveHttps, type RunningServer, type ServerTls } from '../../http';
import { emailChannel, type EmailChannel } from '../../email/channel';
import { createGateway, type Gateway } from '../../../gateway/app';
import { systemClock, type Clock } from '../../../gateway/clock';
import { readGatewayConfig, type GatewayConfig } from '../../../gateway/config';
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

/** What `mmgw start` prints: where it listens, what it runs on, what the first start made, how to act as an institution. */
function banner(url: string, config: GatewayConfig, gateway: Gateway, cwd: string): string[] {
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
    'mmgw: Ctrl-C (SIGINT) or SIGTERM drains and stops',
  );
  return lines;
}

/** The HTTPS interface on a running gateway core: every port bound to it, TLS from `serverTls`. */
export function serveGateway(config: GatewayConfig, gateway: Gateway, clock: Clock, log: (line: string) => void): Promise<RunningServer> {
  return serveHttps({
    config, clock, tls: serverTls(config, gateway), log,
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
  try {
    server = await serveGateway(config, gateway, clock, log);
    email?.startIntake(gateway);
  } catch (e) {
    await email?.stop();
    await gateway.stop();
    throw e;
  }
  return {
    gateway, server, ...(email && { email }),
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
        .description('starts the gateway: with no configuration, SQLite under ./data, the embedded bus, the demo registry and a dev PKI made on first start, HTTPS with client certificates on 127.0.0.1:8443')
        .addHelpText('after', '\nConfigured by MMGW_* environment variables (see the README, "Configuration"). Stops on SIGTERM or SIGINT after draining in-flight requests (exit 0). Exit 2 for a bad configuration, 3 when the database or the broker is unreachable.')
        .action(async () => {
          const cwd = process.cwd();
          const config = readGatewayConfig(env, cwd);
          const { gateway, server, email, close } = await startServices(config, clock, (line) => ctx.io.err(line));
          const stopped = new Promise<number>((resolve) => {
            closeOnSignals({ close }, resolve);
          });
          for (const line of banner(server.url, config, gateway, cwd)) ctx.io.out(line);
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
