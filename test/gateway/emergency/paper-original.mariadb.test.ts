import { GatewayError } from '../../../contracts/errors/gateway-error';
import { logPhoneCall, PaperOriginalEntity, registerPaperOriginal } from '../../../gateway/emergency';
import { ObligationEntity } from '../../../gateway/obligations/entities';
import { obligationHooks } from '../../../gateway/obligations/hooks';
import { AuditEntryEntity } from '../../../gateway/store';
import { useMariaDb } from '../../support/services';
import { openWorld, type World } from '../intake/world';

/**
 * registerPaperOriginal on MariaDB, where two clerks can register at once on two connections:
 * the follow-up row is locked and paper_originals is unique per notice, so exactly one paper
 * original is kept and the other clerk is told `emergency.paper-original-exists`; the scan (1 MiB,
 * past MySQL's 64 KiB BLOB) is kept byte for byte in the LONGBLOB column.
 */
jest.setTimeout(60_000);

describe('registerPaperOriginal on MariaDB', () => {
  const db = useMariaDb(__filename);
  const hooks = obligationHooks();
  let w: World;
  beforeAll(async () => {
    if (!db.available) return;
    w = await openWorld(db.url);
  });
  afterAll(async () => {
    if (w?.ds.isInitialized) await w.ds.destroy();
  });

  it('keeps one paper original when two clerks register at once; the other is refused; written-followup met once', async () => {
    if (!db.available) return;
    const deps = { dataSource: w.ds, identity: w.identity, clock: w.clock, hooks };
    const logged = await logPhoneCall(deps, { institution: 'op-cmcc', callerName: '李强', calledAt: '2026-11-28T10:50', summary: '电话报告，书面随后。', recordedBy: 'clerk', entryId: 'mariadb-1' });
    const scan = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(1024 * 1024, 0x20), Buffer.from('\n%%EOF\n')]);
    const attempt = (clerk: string, number: string) => registerPaperOriginal(deps, { noticeId: logged.messageId, documentNumber: number, receivedAt: '2026-11-28 10:59', scan: { name: `${clerk}.pdf`, bytes: scan }, registeredBy: clerk });
    const results = await Promise.allSettled([attempt('clerk-a', '移动〔2026〕1号'), attempt('clerk-b', '移动〔2026〕2号')]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBeInstanceOf(GatewayError);
    expect((refused[0] as GatewayError).code).toBe('emergency.paper-original-exists');
    const rows = await w.ds.manager.find(PaperOriginalEntity, { where: { noticeId: logged.messageId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.bytes.equals(scan)).toBe(true);
    const followup = await w.ds.manager.findOneByOrFail(ObligationEntity, { obligation: 'written-followup', openedBy: logged.messageId });
    expect(followup.state).toBe('met');
    expect(followup.closedBy).toBe(`paper:${rows[0]!.documentNumber}`);
    expect(await w.ds.manager.count(AuditEntryEntity, { where: { kind: 'paper-original' } })).toBe(1);
  });
});
