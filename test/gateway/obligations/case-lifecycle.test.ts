import { GatewayError } from '../../../contracts/errors/gateway-error';
import { caseView } from '../../../gateway/obligations/cases';
import { CaseEntity } from '../../../gateway/obligations/entities';
import { DeliveryEntity } from '../../../gateway/store/entities/delivery';
import { accepted, bj, iso, useFixture } from './support';

const TASK = 'CNCERT-2026-1128-017';
const III = { level: 'III', lossYuan: 1850000.5, infectedNumbers24h: 20000 };

describe('a whole case through the hooks (SQLite)', () => {
  const f = useFixture();

  it('SampleReport → SampleIdentification: the report meets its own 3 wd clock, opens cncert\'s 5 wd, the identification meets it and gives the case its number', async () => {
    await f.accept(accepted('sample-report', bj('2026-11-27T10:16')));
    // Sample first obtained Wed 25 Nov 16:42 → end of the 3rd working day after: Mon 30 Nov 24:00 Beijing.
    const report = await f.one({ obligation: 'sample-report' });
    expect(report).toMatchObject({ party: 'op-cmcc', counterparty: 'cncert', state: 'met', closedBy: 'op-cmcc-20261127-0001', caseKey: 'op-cmcc-20261127-0001' });
    expect(iso(report.start)).toBe('2026-11-25T08:42:00.000Z');
    expect(iso(report.due)).toBe('2026-11-30T16:00:00.000Z');
    // cncert's clock starts at the gateway's accept time (Fri 27 Nov) → end of Fri 4 Dec.
    let ident = await f.one({ obligation: 'sample-identification' });
    expect(ident).toMatchObject({ party: 'cncert', counterparty: 'op-cmcc', state: 'open', openedBy: 'op-cmcc-20261127-0001' });
    expect(iso(ident.start)).toBe('2026-11-27T02:16:00.000Z');
    expect(iso(ident.due)).toBe('2026-12-04T16:00:00.000Z');

    await f.accept(accepted('sample-identification', bj('2026-11-30T15:06')));
    ident = await f.one({ obligation: 'sample-identification' });
    expect(ident).toMatchObject({ state: 'met', closedBy: 'cncert-20261130-0001' });
    const c = await f.ds.manager.findOneByOrFail(CaseEntity, { key: 'op-cmcc-20261127-0001' });
    expect(c).toMatchObject({ kind: 'sample', taskNumber: 'CNCERT-RD-2026-1130-01' });
    expect([...c.parties].sort()).toEqual(['ca-11', 'cncert', 'op-cmcc']);
  });

  it('IncidentReport (III) → IncidentNotice → acknowledgements → DisposalFeedback → VerificationResult', async () => {
    // Discovered Sat 28 Nov 09:20, level III: 4 h → 13:20; reported at 10:53: met.
    await f.accept(accepted('incident-report', bj('2026-11-28T10:53'), { body: III }));
    const report = await f.one({ obligation: 'event-report' });
    expect(report).toMatchObject({ party: 'op-cmcc', counterparty: 'miit', level: 'III', state: 'met', caseKey: 'op-cmcc-20261128-0007' });
    expect(iso(report.due)).toBe('2026-11-28T05:20:00.000Z');

    await f.accept(accepted('incident-notice', bj('2026-11-28T11:31'), { body: { level: 'III' } }));
    expect(await f.ds.manager.findOneByOrFail(CaseEntity, { key: 'op-cmcc-20261128-0007' })).toMatchObject({ taskNumber: TASK, level: 'III' });
    expect(await f.obligations({ obligation: 'disposal-feedback' })).toHaveLength(0);

    // Each disposing unit's clock runs from its own acknowledgement; a copy (miit, ca-11) starts nothing.
    await f.ack('cncert-20261128-0003', 'op-cmcc', bj('2026-11-28T11:40'));
    await f.ack('cncert-20261128-0003', 'op-cucc', bj('2026-11-28T11:45'));
    await f.ack('cncert-20261128-0003', 'miit', bj('2026-11-28T11:46'));
    await f.ack('cncert-20261128-0003', 'ca-11', bj('2026-11-28T11:47'));
    const feedback = await f.obligations({ obligation: 'disposal-feedback' });
    expect(feedback.map((o) => [o.party, o.level, iso(o.start), iso(o.due)])).toEqual([
      ['op-cmcc', 'III', '2026-11-28T03:40:00.000Z', '2026-11-28T07:40:00.000Z'],
      ['op-cucc', 'III', '2026-11-28T03:45:00.000Z', '2026-11-28T07:45:00.000Z'],
    ]);

    await f.accept(accepted('disposal-feedback', bj('2026-11-28T13:11')));
    expect(await f.one({ obligation: 'disposal-feedback', party: 'op-cmcc' })).toMatchObject({ state: 'met', closedBy: 'op-cmcc-20261128-0011' });
    expect(await f.one({ obligation: 'disposal-feedback', party: 'op-cucc' })).toMatchObject({ state: 'open' });
    const verification = await f.one({ obligation: 'verification' });
    expect(verification).toMatchObject({ party: 'cncert', counterparty: 'op-cmcc', state: 'open', level: 'III', openedBy: 'op-cmcc-20261128-0011' });
    expect(iso(verification.due)).toBe('2026-11-28T09:11:00.000Z');

    await f.accept(accepted('verification-result', bj('2026-11-28T15:21')));
    expect(await f.one({ obligation: 'verification' })).toMatchObject({ state: 'met', closedBy: 'cncert-20261128-0009' });

    // op-cucc never answers: a late DisposalFeedback is accepted and recorded met-late.
    await f.accept(accepted('disposal-feedback', bj('2026-11-28T16:00'), { id: 'op-cucc-20261128-0001', from: 'op-cucc', cc: [] }));
    expect(await f.one({ obligation: 'disposal-feedback', party: 'op-cucc' })).toMatchObject({ state: 'met-late', closedBy: 'op-cucc-20261128-0001' });
  });

  it('caseView shows every message, delivery and obligation of the case to its parties only', async () => {
    await f.ds.manager.insert(DeliveryEntity, {
      messageId: 'cncert-20261128-0003', recipientCode: 'op-cmcc', role: 'to', channel: 'mailbox', status: 'acknowledged', attempts: 1, lastErrorCode: null,
      queuedAt: new Date(bj('2026-11-28T11:31')), sentAt: new Date(bj('2026-11-28T11:32')), acknowledgedAt: new Date(bj('2026-11-28T11:40')), ackReceiptId: null, nextAttemptAt: null, statusSince: new Date(bj('2026-11-28T11:40')),
    });
    const view = await caseView(f.ds.manager, TASK, 'ca-44');
    expect(view.messages.map((m) => m.type)).toEqual(['IncidentReport', 'IncidentNotice', 'DisposalFeedback', 'VerificationResult', 'DisposalFeedback']);
    expect(view.deliveries.map((d) => [d.messageId, d.recipientCode])).toEqual([['cncert-20261128-0003', 'op-cmcc']]);
    expect(view.obligations.map((o) => `${o.obligation}:${o.party}:${o.state}`)).toEqual([
      'event-report:op-cmcc:met', 'disposal-feedback:op-cmcc:met', 'disposal-feedback:op-cucc:met-late', 'verification:cncert:met', 'verification:cncert:open',
    ]);
    const stranger = await caseView(f.ds.manager, TASK, 'op-other').catch((e: unknown) => e);
    expect(stranger).toBeInstanceOf(GatewayError);
    expect((stranger as GatewayError).code).toBe('obligation.not-a-party');
    await expect(caseView(f.ds.manager, 'CNCERT-0000', 'cncert')).rejects.toMatchObject({ code: 'obligation.unknown-case' });
  });
});
