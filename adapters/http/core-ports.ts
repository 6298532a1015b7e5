import { In, type DataSource } from 'typeorm';
import { decode } from '../../contracts/codec';
import { GatewayError } from '../../contracts/errors/gateway-error';
import type { Bus } from '../../gateway/bus';
import type { Clock } from '../../gateway/clock';
import { acknowledge, listMailbox, messageStatus as coreMessageStatus, parseDeliveryRef, type DeliveryContext } from '../../gateway/deliveries';
import type { TrustStore } from '../../gateway/signing/trust-store';
import { DeliveryEntity, OutboxEntity } from '../../gateway/store';
import { coreObligations } from './core-obligations';
import { coreAlerts } from './routes/alerts';
import { coreMonthly } from './routes/monthly';
import type { AcknowledgeOutcome, DeliveriesPort, GaugesPort, HttpPorts, MailboxPage, MessageStatus, ReadinessCheck, RuleError, SamplesPort, SubmitOutcome, SubmitPort } from './ports';

/** What the real ports are bound to: the store, the bus, the trust store, the delivery stage and intake. */
export interface CorePortsOptions {
  readonly dataSource: DataSource;
  readonly bus: Bus;
  readonly trust: TrustStore;
  readonly delivery: DeliveryContext;
  readonly clock: Clock;
  /** Intake (gateway/intake) behind POST /v1/messages. */
  readonly submit: SubmitPort;
  /** The sample store behind PUT /v1/samples. */
  readonly samples: SamplesPort;
  /** The bus queues whose parked messages /metrics reports and /readyz probes (the first). */
  readonly queues: readonly string[];
}

const MEDIA_TYPES = { xml: 'application/xml', json: 'application/jose+json' } as const;

/** POST /v1/messages on gateway/intake: the caller is the mutual-TLS institution, which must be the signer. */
export function intakePort(intake: { submit(s: { readonly bytes: Buffer; readonly caller?: string }): Promise<SubmitOutcome> }): SubmitPort {
  return { submit: (s) => intake.submit({ bytes: s.bytes, caller: s.caller }) };
}

/** The rule errors a GatewayError carries (its own `errors` fact, or itself). */
export function ruleErrorsOf(e: GatewayError): RuleError[] {
  const listed = e.facts.errors;
  if (Array.isArray(listed) && listed.length > 0) return listed as RuleError[];
  return [{ code: e.code, message: e.message, ...(typeof e.facts.path === 'string' && { path: e.facts.path }), ...(typeof e.facts.article === 'string' && { source: e.facts.article }) }];
}

/** GET /v1/mailbox, POST …/ack and GET /v1/messages/{id} on gateway/deliveries and the store. */
export function coreDeliveries(o: Pick<CorePortsOptions, 'dataSource' | 'trust' | 'delivery'>): DeliveriesPort {
  return {
    async listMailbox(q): Promise<MailboxPage> {
      // The core waits on its own notifier; a drain or a client gone answers at once (the
      // cursor, not the delivery status, says what the client has seen, so nothing is lost).
      const aborted = new Promise<MailboxPage>((resolve) => {
        const empty = () => resolve({ items: [], next: q.after ?? null });
        if (q.signal.aborted) empty();
        else q.signal.addEventListener('abort', empty, { once: true });
      });
      const read = listMailbox(o.dataSource, q.recipient, { ...(q.after !== undefined && { after: q.after }), limit: q.limit, waitMs: q.waitSeconds * 1000 }, o.delivery).then((page) => ({
        items: page.items.map((i) => ({
          deliveryId: i.deliveryId, messageId: i.messageId, type: i.type, from: i.from, status: i.status, createdAt: i.acceptedAt,
          document: { bytes: i.bytes, mediaType: MEDIA_TYPES[i.format] },
        })),
        next: page.cursor,
      }));
      return Promise.race([read, aborted]);
    },

    async acknowledge(a): Promise<AcknowledgeOutcome> {
      // The core checks signer = recipient; the interface adds signer = caller and that the
      // document acknowledges the delivery its URL names.
      const decoded = decode(a.bytes);
      const doc = decoded.document as { from?: unknown; body?: { deliveryId?: unknown } } | undefined;
      if (doc !== undefined && doc.from !== a.caller) {
        return { accepted: false, errors: [{ code: 'http.signer-not-caller', path: 'from', message: `the acknowledgement is from ${String(doc.from)}, but the client certificate is ${a.caller}'s` }] };
      }
      if (doc !== undefined && doc.body?.deliveryId !== a.deliveryId) {
        return { accepted: false, errors: [{ code: 'http.bad-request', path: 'body.deliveryId', message: `the acknowledgement names the delivery ${String(doc.body?.deliveryId)}, the URL ${a.deliveryId}` }] };
      }
      try {
        const r = await acknowledge(o.dataSource, a.bytes, { trust: o.trust }, o.delivery);
        return { accepted: true, deliveryId: r.deliveryId, acknowledgedAt: r.acknowledgedAt, duplicate: r.duplicate };
      } catch (e) {
        if (e instanceof GatewayError) return { accepted: false, errors: ruleErrorsOf(e) };
        throw e;
      }
    },

    async messageStatus(q): Promise<MessageStatus | undefined> {
      // The core's view (gateway/deliveries), flattened to one entry per delivery, oldest first.
      let status;
      try {
        status = await coreMessageStatus(o.dataSource, q.messageId, q.caller);
      } catch (e) {
        if (e instanceof GatewayError && (e.code === 'delivery.unknown-message' || e.code === 'delivery.status-forbidden')) return undefined;
        throw e;
      }
      const deliveries = status.recipients
        .flatMap((r) => r.deliveries.map((d) => ({ recipient: r.recipient, id: parseDeliveryRef(d.deliveryId), d })))
        .sort((a, b) => a.id - b.id);
      return {
        messageId: status.messageId, type: status.type, from: status.from, receivedAt: status.acceptedAt,
        recipients: deliveries.map(({ recipient, d }) => ({ recipient, channel: d.channel, status: d.status, deliveredAt: d.sentAt, acknowledgedAt: d.acknowledgedAt })),
      };
    },
  };
}

/** The figures of /metrics from the store and the bus. */
export function coreGauges(o: Pick<CorePortsOptions, 'dataSource' | 'bus' | 'clock' | 'queues'>): GaugesPort {
  const OPEN = ['queued', 'sent', 'retrying'];
  return {
    async deliveriesByStatus() {
      const rows = await o.dataSource.createQueryBuilder().select('d.status', 'status').addSelect('COUNT(*)', 'n').from(DeliveryEntity, 'd').groupBy('d.status').getRawMany<{ status: string; n: string | number }>();
      return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    },
    async queueDepths() {
      const rows = await o.dataSource.createQueryBuilder().select('o.state', 'state').addSelect('COUNT(*)', 'n').from(OutboxEntity, 'o').groupBy('o.state').getRawMany<{ state: string; n: string | number }>();
      const depths: Record<string, number> = Object.fromEntries(rows.map((r) => [`outbox.${r.state}`, Number(r.n)]));
      for (const q of o.queues) depths[`${q}.parked`] = await o.bus.parkedCount(q);
      return depths;
    },
    async oldestUnacknowledgedSeconds() {
      const oldest = await o.dataSource.getRepository(DeliveryEntity).findOne({ where: { status: In(OPEN) }, order: { queuedAt: 'ASC' } });
      return oldest === null ? null : Math.max(0, (o.clock.now().getTime() - oldest.queuedAt.getTime()) / 1000);
    },
  };
}

/** /readyz: the database answers a query and the bus answers for its first queue. */
export function coreReadiness(o: Pick<CorePortsOptions, 'dataSource' | 'bus' | 'queues'>): ReadinessCheck[] {
  return [
    { name: 'database', check: async () => void (await o.dataSource.query('SELECT 1')) },
    { name: 'bus', check: async () => void (await o.bus.parkedCount(o.queues[0]!)) },
  ];
}

/** Every port of the HTTPS interface bound to the core. */
export function corePorts(o: CorePortsOptions): HttpPorts {
  return { submit: o.submit, deliveries: coreDeliveries(o), samples: o.samples, readiness: coreReadiness(o), gauges: coreGauges(o), alerts: coreAlerts(o), monthly: coreMonthly(o), obligations: coreObligations(o) };
}
