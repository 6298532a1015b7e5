import { CaseEntity } from '../../../gateway/obligations/entities';
import { useMariaDb } from '../../support/services';
import { accepted, bj, useFixture } from './support';

const UNITS = Array.from({ length: 16 }, (_, i) => `op-c${String(i + 1).padStart(2, '0')}`);

// Intake accepts messages of one case in parallel transactions (MariaDB pool): none is lost.
describe('hooks in concurrent transactions on MariaDB', () => {
  const db = useMariaDb(__filename);
  const f = useFixture({}, () => db.url);

  it('16 units\' DisposalFeedbacks of one case accepted at once: every clock met, every verification opened, every party kept', async () => {
    if (!db.available) return;
    await f.accept(accepted('incident-report', bj('2026-11-28T10:53'), { body: { level: 'III', lossYuan: 100, infectedNumbers24h: 20000 } }));
    await f.accept(accepted('incident-notice', bj('2026-11-28T11:31'), { to: UNITS, body: { level: 'III' } }));
    await Promise.all(UNITS.map((u) => f.ack('cncert-20261128-0003', u, bj('2026-11-28T11:40'))));
    // Each copies a different ca-NN: a new party of the case each time.
    const copied = UNITS.map((_, i) => `ca-${51 + i}`);
    await Promise.all(UNITS.map((u, i) => f.accept(accepted('disposal-feedback', bj('2026-11-28T13:00'), { id: `${u}-fb`, from: u, cc: [copied[i] as string] }))));
    const feedback = await f.obligations({ obligation: 'disposal-feedback' });
    expect(feedback.map((o) => `${o.party}:${o.state}`).sort()).toEqual(UNITS.map((u) => `${u}:met`));
    expect((await f.obligations({ obligation: 'verification', state: 'open' })).map((o) => o.counterparty).sort()).toEqual(UNITS);
    const c = await f.ds.manager.findOneByOrFail(CaseEntity, { taskNumber: 'CNCERT-2026-1128-017' });
    expect(c.parties).toEqual(expect.arrayContaining([...UNITS, ...copied]));
  });

  it('8 operators\' level IV reports of one month accepted at once: all accepted, ONE monthly-general-summary for the month, one monthly feedback each', async () => {
    if (!db.available) return;
    const ops = Array.from({ length: 8 }, (_, i) => `op-m${i + 1}`);
    await Promise.all(ops.map((op) => f.accept(accepted('incident-report', bj('2026-11-20T12:00'), { id: `${op}-iv`, from: op, to: ['cncert'], cc: [], body: { level: 'IV', lossYuan: 100, infectedNumbers24h: 100, discoveredAt: bj('2026-11-20T09:00') } }))));
    expect((await f.obligations({ obligation: 'event-report', state: 'met' })).filter((o) => o.party.startsWith('op-m')).map((o) => o.party).sort()).toEqual(ops);
    expect((await f.obligations({ obligation: 'monthly-general-summary' })).map((o) => o.subject)).toEqual(['month:2026-11']);
    expect((await f.obligations({ obligation: 'disposal-feedback', subject: 'month:2026-11' })).map((o) => o.party).sort()).toEqual(ops);
  });
});
