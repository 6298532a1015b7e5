import type { DataSource } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { InstitutionEntity } from '../store/entities/institution';
import { transaction } from '../store/transaction';
import { DEMO_DOMAIN_MANAGERS, DEMO_REGISTRY, type RegistryEntry } from './demo-registry';
import { DomainManagerEntity } from './entities/domain-manager';
import { normaliseDomain } from './domain';

/** What seeding added (codes and domains that were not there yet). */
export interface SeedResult {
  readonly institutions: readonly string[];
  readonly domains: readonly string[];
}

/**
 * Adds the institutions of `entries` (default: the demo registry) and the domain managers that
 * are missing, in one transaction; existing rows are left as they are, so seeding at every start
 * is safe and keeps what an administrator changed.
 */
export async function seedRegistry(
  dataSource: DataSource,
  now: Date,
  entries: readonly RegistryEntry[] = DEMO_REGISTRY,
  domains: readonly { readonly domain: string; readonly institution: string }[] = DEMO_DOMAIN_MANAGERS,
): Promise<SeedResult> {
  return transaction(dataSource, async (m) => {
    const have = new Set((await m.find(InstitutionEntity, { select: { code: true } })).map((r) => r.code));
    const institutions: string[] = [];
    for (const e of entries) {
      if (have.has(e.code)) continue;
      await m.insert(InstitutionEntity, { code: e.code, kind: e.kind, name: e.name, province: e.province, channels: [...e.channels], createdAt: now, updatedAt: now });
      have.add(e.code);
      institutions.push(e.code);
    }
    const added: string[] = [];
    for (const d of domains) {
      if (!have.has(d.institution)) throw new GatewayError('routing.unresolved', `the domain manager ${d.institution} of ${d.domain} is not in the registry`, { path: 'domain', domain: d.domain });
      const domain = normaliseDomain(d.domain);
      if (await m.existsBy(DomainManagerEntity, { domain, institutionCode: d.institution })) continue;
      await m.insert(DomainManagerEntity, { domain, institutionCode: d.institution, addedAt: now });
      added.push(domain);
    }
    return { institutions, domains: added };
  });
}
