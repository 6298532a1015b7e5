import { In, type EntityManager } from 'typeorm';
import { checkRouting, type RoutableMessage, type RoutingDecision, type RoutingFacts } from '../../contracts/routing';
import type { GatewayError } from '../../contracts/errors/gateway-error';
import { MessageEntity } from '../store/entities/message';
import { domainAndZones, normaliseDomain } from './domain';
import { DomainManagerEntity } from './entities/domain-manager';
import { SampleReporterEntity } from './entities/sample-reporter';

/** The questions a message asks of the routing facts. */
interface Questions {
  readonly domains: Set<string>;
  readonly md5s: Set<string>;
  readonly messageIds: Set<string>;
}

/** Facts that answer nothing and note what was asked (the first of the two routing passes). */
function recorder(q: Questions): RoutingFacts {
  return {
    domainManagers: (d) => { q.domains.add(d); return undefined; },
    sampleReporters: (m) => { q.md5s.add(m); return undefined; },
    senderOf: (id) => { q.messageIds.add(id); return undefined; },
  };
}

/**
 * Loads the answers to `q` from the store: the registry or registrar of the most specific zone
 * on record for each domain (none on record: not known), the reporters of each sample from
 * accepted SampleReports (none: `[]`), the sender of each message from `messages`.
 */
export async function loadRoutingFacts(manager: EntityManager, q: { readonly domains: Iterable<string>; readonly md5s: Iterable<string>; readonly messageIds: Iterable<string> }): Promise<RoutingFacts> {
  const domains = [...q.domains];
  const md5s = [...q.md5s].map((m) => m.toLowerCase());
  const ids = [...q.messageIds];
  const zones = [...new Set(domains.flatMap(domainAndZones))];
  const managers = new Map<string, string[]>();
  if (zones.length > 0) {
    for (const row of await manager.find(DomainManagerEntity, { where: { domain: In(zones) }, order: { institutionCode: 'ASC' } })) {
      managers.set(row.domain, [...(managers.get(row.domain) ?? []), row.institutionCode]);
    }
  }
  const reporters = new Map<string, Set<string>>();
  if (md5s.length > 0) {
    for (const row of await manager.find(SampleReporterEntity, { where: { md5: In(md5s) }, order: { institutionCode: 'ASC' } })) {
      reporters.set(row.md5, (reporters.get(row.md5) ?? new Set()).add(row.institutionCode));
    }
  }
  const senders = new Map<string, string>();
  if (ids.length > 0) {
    for (const row of await manager.find(MessageEntity, { select: { id: true, fromCode: true }, where: { id: In(ids) } })) senders.set(row.id, row.fromCode);
  }
  return {
    domainManagers: (d) => domainAndZones(normaliseDomain(d)).map((z) => managers.get(z)).find((m) => m !== undefined),
    sampleReporters: (m) => [...(reporters.get(m.toLowerCase()) ?? [])],
    senderOf: (id) => senders.get(id),
  };
}

/**
 * `checkRouting` with the facts read from the store: a first pass notes what the message asks
 * (most forms ask nothing, and then no query runs), the answers are loaded in at most three
 * queries, and a second pass routes with them.
 */
export async function checkRoutingFromStore(manager: EntityManager, message: RoutableMessage): Promise<{ decision: RoutingDecision; errors: GatewayError[] }> {
  const q: Questions = { domains: new Set(), md5s: new Set(), messageIds: new Set() };
  const first = checkRouting(message, recorder(q));
  if (q.domains.size + q.md5s.size + q.messageIds.size === 0) return first;
  return checkRouting(message, await loadRoutingFacts(manager, q));
}
