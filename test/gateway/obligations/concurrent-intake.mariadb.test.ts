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
});
