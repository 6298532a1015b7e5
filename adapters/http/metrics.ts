import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { GaugesPort } from './ports';

/** The Prometheus metrics of the HTTPS interface, in their own registry (one per app). */
export interface HttpMetrics {
  readonly registry: Registry;
  /** Messages accepted (202). */
  readonly accepted: Counter<'duplicate'>;
  /** Messages rejected, by the reason (error code) of the first error. */
  readonly rejected: Counter<'reason'>;
  /** Requests answered, by route and status. */
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly duration: Histogram<'method' | 'route'>;
}

/**
 * Creates the metrics; the gauges (deliveries by status, queue depths, the age of the oldest
 * unacknowledged delivery) are read through `gauges` at each scrape, so they are always the
 * store's figures and never a second count kept here.
 */
export function createHttpMetrics(gauges: GaugesPort): HttpMetrics {
  const registry = new Registry();
  const registers = [registry];
  const accepted = new Counter({ name: 'mmgw_messages_accepted_total', help: 'Messages accepted over HTTPS (a resubmitted duplicate counted with duplicate="true").', labelNames: ['duplicate'] as const, registers });
  const rejected = new Counter({ name: 'mmgw_messages_rejected_total', help: 'Messages rejected over HTTPS, by the code of the first error.', labelNames: ['reason'] as const, registers });
  const requests = new Counter({ name: 'mmgw_http_requests_total', help: 'HTTPS requests answered, by route and status.', labelNames: ['method', 'route', 'status'] as const, registers });
  const duration = new Histogram({ name: 'mmgw_http_request_duration_seconds', help: 'Time to answer an HTTPS request.', labelNames: ['method', 'route'] as const, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers });
  new Gauge({
    name: 'mmgw_deliveries',
    help: 'Deliveries by status.',
    labelNames: ['status'] as const,
    registers,
    async collect() {
      this.reset();
      for (const [status, n] of Object.entries(await gauges.deliveriesByStatus())) this.set({ status }, n);
    },
  });
  new Gauge({
    name: 'mmgw_queue_depth',
    help: 'Messages waiting, by queue (the outbox and each bus queue).',
    labelNames: ['queue'] as const,
    registers,
    async collect() {
      this.reset();
      for (const [queue, n] of Object.entries(await gauges.queueDepths())) this.set({ queue }, n);
    },
  });
  new Gauge({
    name: 'mmgw_oldest_unacknowledged_delivery_seconds',
    help: 'Age of the oldest delivery not yet acknowledged by its recipient (0 when there is none).',
    registers,
    async collect() {
      this.set((await gauges.oldestUnacknowledgedSeconds()) ?? 0);
    },
  });
  return { registry, accepted, rejected, requests, duration };
}
