import type { DataSource } from 'typeorm';
import { decode } from '../../contracts/codec';
import { appendAudit } from '../../gateway/audit';
import type { Clock } from '../../gateway/clock';
import { MessageEntity, transaction, type MessageRow } from '../../gateway/store';
import type { SamplesPort } from './ports';

/** How many of the most recent SampleReports are searched for a declared MD5. @defaultValue 500 */
export const SAMPLE_REPORT_WINDOW = 500;

function declaredMd5s(row: MessageRow): string[] {
  const body = decode(row.bytes).document?.body as { samples?: { md5?: unknown }[] } | undefined;
  return (body?.samples ?? []).map((s) => String(s.md5 ?? '').toLowerCase());
}

/**
 * Sample files on the store (Art. 9(1)): a file is accepted when a SampleReport accepted from the
 * uploader declares its MD5 (an audit entry, kind `sample`, records the upload against that
 * report), and may be read by the sender and the recipients of such a report.
 */
export function coreSamples(o: { readonly dataSource: DataSource; readonly clock: Clock; readonly window?: number }): SamplesPort {
  const reports = (where: Partial<Pick<MessageRow, 'fromCode'>>) =>
    o.dataSource.getRepository(MessageEntity).find({ where: { type: 'SampleReport', ...where }, order: { acceptedAt: 'DESC' }, take: o.window ?? SAMPLE_REPORT_WINDOW });
  return {
    async stored(s) {
      const report = (await reports({ fromCode: s.caller })).find((r) => declaredMd5s(r).includes(s.md5));
      if (report === undefined) {
        return { errors: [{ code: 'http.sample-undeclared', path: 'md5', message: `no SampleReport accepted from ${s.caller} declares a sample with the MD5 ${s.md5}; send the SampleReport first`, source: 'Art. 9(1)' }] };
      }
      await transaction(o.dataSource, (m) => appendAudit(m, { kind: 'sample', actor: s.caller, subject: report.id, details: { sha256: s.sha256, md5: s.md5, size: s.size, alreadyStored: s.alreadyStored } }, o.clock.now()));
      return {};
    },
    async mayRead(q) {
      return (await reports({})).some((r) => [r.fromCode, ...r.toCodes, ...r.ccCodes].includes(q.caller) && declaredMd5s(r).includes(q.md5));
    },
  };
}
