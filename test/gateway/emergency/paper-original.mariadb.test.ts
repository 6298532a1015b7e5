import { GatewayError } from '../../../contracts/errors/gateway-error';
import { logPhoneCall, PaperOriginalEntity, registerPaperOriginal } from '../../../gateway/emergency';
import { ObligationEntity } from '../../../gateway/obligations/entities';
import { closeFollowups } from '../../../gateway/obligations/followup';
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

  it('a signed form whose accept transaction read the follow-up before a paper original closed it does not close it again over the paper', async () => {
    if (!db.available) return;
    const deps = { dataSource: w.ds, identity: w.identity, clock: w.clock, hooks };
    const logged = await logPhoneCall(deps, { institution: 'op-cmcc', callerName: '李强', calledAt: '2026-11-28T10:50', summary: '电话报告，书面随后。', recordedBy: 'clerk', entryId: 'mariadb-race' });
    const followup = await w.ds.manager.findOneByOrFail(ObligationEntity, { obligation: 'written-followup', openedBy: logged.messageId });
    const scan = Buffer.from('%PDF-1.4\n%%EOF\n');
    // The signed form's accept transaction (REPEATABLE READ) has read the obligations before the paper original is registered…
    const intake = w.ds.createQueryRunner();
    await intake.connect();
    await intake.startTransaction();
    try {
      expect((await intake.manager.findOneByOrFail(ObligationEntity, { id: followup.id })).state).toBe('open');
      await registerPaperOriginal(deps, { noticeId: logged.messageId, documentNumber: '移动〔2026〕3号', receivedAt: '2026-11-28 10:59', scan: { name: 'a.pdf', bytes: scan }, registeredBy: 'clerk-a' });
      // …and then closes the follow-ups its form answers: the paper closed this one already.
      await closeFollowups(intake.manager, { id: 'op-cmcc-signed-race', type: followup.subject!, from: 'op-cmcc', to: ['miit'], cc: [], sentAt: w.clock.now(), taskNumber: null, inReplyTo: null, body: {}, receivedAt: w.clock.now() }, followup.caseKey);
      await intake.commitTransaction();
    } catch (e) {
      await intake.rollbackTransaction();
      throw e;
    } finally {
      await intake.release();
    }
    const after = await w.ds.manager.findOneByOrFail(ObligationEntity, { id: followup.id });
    expect([after.state, after.closedBy]).toEqual(['met', 'paper:移动〔2026〕3号']);
  });
});
