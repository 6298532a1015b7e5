import type { EntityManager } from 'typeorm';
import { valuesAt } from '../../contracts/routing/body-path';
import { SampleReporterEntity } from './entities/sample-reporter';

/**
 * Records the samples an accepted SampleReport declares (`body.samples[].md5`), in the caller's
 * transaction, so that CNCERT's SampleIdentification can be routed to their reporters (Art. 9(2)).
 * Other forms record nothing.
 */
export async function recordSampleReporters(manager: EntityManager, message: { readonly id: string; readonly type: string; readonly from: string; readonly body: unknown }, now: Date): Promise<number> {
  if (message.type !== 'SampleReport') return 0;
  const md5s = [...new Set(valuesAt(message.body, 'samples.md5').filter((v): v is string => typeof v === 'string').map((v) => v.toLowerCase()))];
  if (md5s.length === 0) return 0;
  await manager.insert(SampleReporterEntity, md5s.map((md5) => ({ md5, institutionCode: message.from, messageId: message.id, reportedAt: now })));
  return md5s.length;
}
