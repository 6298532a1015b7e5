import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { createBus } from '../bus/create-bus';
import { OutboxRelay } from '../bus/outbox-relay';
import type { Bus, Subscription } from '../bus/port';
import type { BusTopologyDeclaration } from '../bus/topology';
import type { Clock } from '../clock';
import type { GatewayConfig } from '../config';
import { deliveryContext, MailboxNotifier, runDeadlineFallback, startDeliveryWorkers, type DeliveryContext, type Mailer } from '../deliveries';
import type { GatewayIdentity } from '../identity';
import { Intake } from '../intake';
import { obligationHooks, runScheduler, type CoreHooks } from '../obligations';
import { Registry, seedRegistry } from '../registry';
import { TrustStore } from '../signing/trust-store';
import { createDataSource, migrate } from '../store';
import { migrations } from '../../migrations';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { readFileSync } from 'node:fs';
import { ensureDevPki, type DevPki } from './dev-pki';
import { devPassphrase, type DevPassphrase } from './passphrase';
import { gatewayTopology, ALERTS_QUEUE } from './topology';
import { startAlertConsumer, type AlertMailer } from '../obligations/alerts-consumer';
import { withContactUpdates } from './contact-update-hooks';

/** What `createGateway` can be told besides the configuration. */
export interface GatewayOptions {
  readonly clock: Clock;
  /** Where start-up and background problems are written. @defaultValue console.error */
  readonly log?: (line: string) => void;
  /** How often the obligations scheduler runs (ms). @defaultValue 30000 */
  readonly schedulerIntervalMs?: number;
  /** How often the outbox relay on RabbitMQ looks for rows when no commit of this process woke it (ms). @defaultValue 200 */
  readonly relayIntervalMs?: number;
  /** How often the embedded bus looks for due messages (ms). @defaultValue 100 */
  readonly embeddedPollMs?: number;
  /** The mailer the alerts consumer mails reminders and escalations with (to each recipient's registered addresses); none: alerts only over the API. */
  readonly alertMailer?: AlertMailer;
  /** Makes the e-mail channel's Mailer with the gateway's identity (it signs delivery mail); absent: e-mail deliveries fall back at once and the deadline-aware fall-back does not run. */
  readonly mailer?: (identity: GatewayIdentity) => Mailer;
}

/** What the first start did; nothing on a later start of the same data directory. */
export interface FirstStart {
  /** Institutions added to the registry. */
  readonly seeded: readonly string[];
  /** True when the dev PKI was created. */
  readonly pkiCreated: boolean;
  /** True when the dev PKI's passphrase was generated into `<dataDir>/pki/.passphrase`. */
  readonly passphraseGenerated: boolean;
}

/** A running gateway core: the store, the bus and its workers, the scheduler. */
export interface Gateway {
  readonly config: GatewayConfig;
  readonly clock: Clock;
  readonly dataSource: DataSource;
  readonly bus: Bus;
  readonly topology: BusTopologyDeclaration;
  /** Certificates trusted for client certificates and signatures (MMGW_TRUST_STORE, or the dev CA). */
  readonly trust: TrustStore;
  /** The CA PEM texts behind `trust`, for the TLS server. */
  readonly trustPems: readonly string[];
  /** The delivery stage's context (clock, hooks, mailbox notifier). */
  readonly delivery: DeliveryContext;
  /** The obligations hooks, as given to intake and the delivery stage. */
  readonly hooks: CoreHooks;
  /** Intake with the trust store, the gateway's credential and the hooks: every adapter submits through it. */
  readonly intake: Intake;
  /** The dev PKI under `<dataDir>/pki` (always present: it holds the gateway's own credential). */
  readonly pki: DevPki;
  readonly passphrase: DevPassphrase;
  readonly firstStart: FirstStart;
  /** Stops in order: scheduler, workers, outbox relay (a last pass), bus, store. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The composition root of the core. Opens the store and migrates it, seeds the demo registry
 * (only what is missing, so a restart changes nothing), creates the dev PKI under
 * `<dataDir>/pki` on first start (its passphrase MMGW_KEY_PASSPHRASE, or one generated into
 * `<dataDir>/pki/.passphrase`), starts the bus selected by MMGW_AMQP_URL, the outbox relay when
 * on RabbitMQ, the routing and delivery workers with the obligations hooks, and the obligations
 * scheduler loop, and intake with the hooks.
 */
export async function createGateway(config: GatewayConfig, options: GatewayOptions): Promise<Gateway> {
  const { clock } = options;
  const log = options.log ?? ((line: string) => console.error(line));
  const pkiDir = join(config.dataDir, 'pki');
  const passphrase = devPassphrase(pkiDir, config.keyPassphrase, true);
  const pki = ensureDevPki(pkiDir, { now: clock.now(), passphrase: passphrase.passphrase });
  const trustPems = config.trustStoreFiles ? config.trustStoreFiles.map((f) => readFileSync(f, 'utf8')) : [pki.caPem];
  const trust = new TrustStore(trustPems);

  const dataSource = createDataSource(config.database, { migrations });
  try {
    await dataSource.initialize();
  } catch (e) {
    const where = config.database.kind === 'mysql' ? `the MySQL database ${config.database.database} on ${config.database.host}` : `the SQLite file ${config.database.path}`;
    throw new GatewayError('store.unreachable', `cannot open ${where}: ${e instanceof Error ? e.message : String(e)}`, { kind: config.database.kind });
  }
  const stack: (() => Promise<void>)[] = [() => dataSource.destroy()];
  const unwind = async () => {
    while (stack.length > 0) {
      const step = stack.pop()!;
      try {
        await step();
      } catch (e) {
        log(`mmgw: while stopping: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  };
  try {
    await migrate(dataSource);
    const seeded = await seedRegistry(dataSource, clock.now());
    // An accepted signed ContactUpdate changes the registry in the accept transaction (Art. 17), as a console edit does.
    const hooks = withContactUpdates(obligationHooks(), { maxFutureDays: config.contacts.maxFutureDays });
    // The routing worker reads the recipients' channels from a cached registry (one query per 5 s).
    const delivery = deliveryContext({ clock, hooks, notifier: new MailboxNotifier(), registry: new Registry(dataSource, { clock, ttlMs: 5000 }) });
    const topology = gatewayTopology();
    const bus = createBus(dataSource, topology, {
      env: config.amqpUrl !== undefined ? { MMGW_AMQP_URL: config.amqpUrl } : {},
      embedded: { clock, pollIntervalMs: options.embeddedPollMs ?? 100, onError: (e) => log(`mmgw: bus: ${e instanceof Error ? e.message : String(e)}`) },
    });
    await bus.start();
    stack.push(() => bus.close({ drainTimeoutMs: 5000 }));

    if (bus.kind === 'rabbitmq') {
      // Pass after pass while there are rows, woken by this process's commits; idle it looks every relayIntervalMs.
      const relay = new OutboxRelay(dataSource, bus, { idlePollMs: options.relayIntervalMs ?? 200, onError: (e) => log(`mmgw: outbox relay: ${e instanceof Error ? e.message : String(e)}`) });
      relay.start();
      // Its stop makes a last pass: what the stopping workers committed.
      stack.push(() => relay.stop());
    }
    const mailer = options.mailer?.(pki.identity);
    const subscriptions: Subscription[] = await startDeliveryWorkers(bus, dataSource, topology, delivery, mailer ? { mailer } : {});
    stack.push(async () => {
      for (const s of subscriptions) await s.cancel();
    });
    // Alerts are mailed by `alertMailer`, else by the delivery mailer once it can render an alert (sendAlert): its `send` would present one as a signed form to acknowledge.
    const alertMailer = options.alertMailer ?? ((mailer as AlertMailer | undefined)?.sendAlert ? mailer : undefined);
    const alerts = await startAlertConsumer(bus, dataSource, { clock, queue: ALERTS_QUEUE, ...(alertMailer && { mailer: alertMailer }) });
    stack.push(() => alerts.cancel());
    const scheduler = loop(options.schedulerIntervalMs ?? 30_000, async () => void (await runScheduler(dataSource, clock.now())), log, 'obligations scheduler');
    stack.push(() => scheduler.stop());
    if (mailer !== undefined) {
      // With the e-mail channel on: deliveries still unacknowledged after a share of their obligation's time are also mailed.
      const share = config.email?.deadlineSharePercent;
      const deadline = loop(options.schedulerIntervalMs ?? 30_000, async () => void (await runDeadlineFallback(dataSource, delivery, share !== undefined ? { sharePercent: share } : {})), log, 'deadline fall-back');
      stack.push(() => deadline.stop());
    }

    const intake = new Intake(dataSource, { trust, identity: pki.identity, clock, hooks });
    let stopping: Promise<void> | undefined;
    return {
      config, clock, dataSource, bus, topology, trust, trustPems, delivery, hooks, intake, pki, passphrase,
      firstStart: { seeded: seeded.institutions, pkiCreated: pki.created, passphraseGenerated: passphrase.source === 'generated' },
      stop: () => (stopping ??= unwind()),
    };
  } catch (e) {
    await unwind();
    throw e;
  }
}

/** Runs `task` now and then every `intervalMs` after it finished; `stop` waits for a running pass. */
function loop(intervalMs: number, task: () => Promise<void>, log: (line: string) => void, name: string): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = task().catch((e: unknown) => log(`mmgw: ${name}: ${e instanceof Error ? e.message : String(e)}`)).finally(() => {
      if (!stopped) timer = setTimeout(tick, intervalMs);
    });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
