import { DomainManagerEntity } from './domain-manager';
import { SampleReporterEntity } from './sample-reporter';

export * from './domain-manager';
export * from './sample-reporter';

/** The registry's own tables (routing facts), for the store's entity list. */
export const registryEntities = [DomainManagerEntity, SampleReporterEntity];
