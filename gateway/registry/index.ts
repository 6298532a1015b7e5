/** The registry of institutions, the demo seed and the routing facts read from the store. */
export { DEMO_REGISTRY, DEMO_DOMAIN_MANAGERS, type RegistryEntry } from './demo-registry';
export { seedRegistry, type SeedResult } from './seed';
export { Registry, type RegistryOptions } from './registry';
export { checkRoutingFromStore, loadRoutingFacts } from './routing-facts';
export { recordSampleReporters } from './sample-reporters';
export { normaliseDomain, domainAndZones } from './domain';
export * from './entities';
