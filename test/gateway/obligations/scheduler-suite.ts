import type { DataSource } from 'typeorm';
import { verifyAuditChain } from '../../../gateway/audit/verify';
import { TestClock } from '../../../gateway/clock/test-clock';
import { runScheduler, type SentAlert } from '../../../gateway/obligations/scheduler';
import { openStore } from '../../../gateway/store';
import { OutboxEntity } from '../../../gateway/store/entities/outbox';
import { AuditEntryEntity } from '../../../gateway/store/entities/audit-entry';
import { migrations } from '../../../migrations';
import { accepted, bj, useFixture } from './support';

const III = { level: 'III', lossYuan: 1850000.5, infectedNumbers24h: 20000 };

/**
 * Reminders at 50/75/90 % and one escalation, each exactly once with two schedulers (two
 * DataSources: two gateway processes) racing on one database, and none lost by a late start.
 * `url()` undefined: a SQLite file of the fixture. `second` opens the other process's store.
 */
export function schedulerSuite(url: (() => string) | undefined, available: () => boolean, twoProcesses: boolean): void {
  const f = useFixture({}, url);
  let other: DataSource;
  const clock = new TestClock(bj('2026-11-28T11:00'));

  beforeAll(async () => {
    if (!available()) return;
    other = twoProcesses ? await openStore(url?.(), { migrations }) : f.ds;
    await f.accept(accepted('incident-report', bj('2026-11-28T10:53'), { body: III }));
    await f.accept(accepted('incident-notice', bj('2026-11-28T11:31'), { body: { level: 'III' } }));
    await f.ack('cncert-20261128-0003', 'op-cmcc', bj('2026-11-28T11:40'));
  });
  afterAll(async () => {
    if (twoProcesses && other?.isInitialized) await other.destroy();
  });

  const race = async (): Promise<SentAlert[]> => {
    const now = clock.now();
    const runs = await Promise.all([runScheduler(f.ds, now), runScheduler(other, now), runScheduler(f.ds, now), runScheduler(other, now)]);
    return runs.flat();
  };
  const topics = async () => (await f.ds.manager.find(OutboxEntity, { order: { id: 'ASC' } })).map((o) => o.topic).filter((t) => t.startsWith('obligation.'));

  it('reminds op-cmcc at 50, 75 and 90 % of its 4 h and escalates at the deadline, each once although four schedulers race', async () => {
    if (!available()) return;
    // disposal-feedback: acknowledged 11:40, level III → due 15:40; 50 % 13:40, 75 % 14:40, 90 % 15:16.
    clock.set(bj('2026-11-28T13:39'));
    expect(await race()).toEqual([]);
    clock.set(bj('2026-11-28T13:40'));
    expect((await race()).map((a) => [a.kind, a.fraction, a.recipients])).toEqual([['reminder', 0.5, ['op-cmcc']]]);
    expect(await race()).toEqual([]);
    clock.set(bj('2026-11-28T14:40'));
    expect((await race()).map((a) => a.fraction)).toEqual([0.75]);
    clock.set(bj('2026-11-28T15:16'));
    expect((await race()).map((a) => a.fraction)).toEqual([0.9]);
    clock.set('2026-11-28T15:39:59.999+08:00');
    expect(await race()).toEqual([]);
    clock.set(bj('2026-11-28T15:40'));
    const escalation = await race();
    expect(escalation.map((a) => [a.kind, a.obligation, a.party, [...a.recipients].sort()])).toEqual([['escalation', 'disposal-feedback', 'op-cmcc', ['ca-11', 'ca-44', 'miit', 'op-cmcc']]]);
    clock.set(bj('2026-11-29T09:00'));
    expect(await race()).toEqual([]);
    expect(await topics()).toEqual(['obligation.reminder', 'obligation.reminder', 'obligation.reminder', 'obligation.escalation']);
    const audit = await f.ds.manager.find(AuditEntryEntity, { order: { seq: 'ASC' } });
    expect(audit.map((e) => e.kind).filter((k) => k === 'reminder' || k === 'escalation')).toEqual(['reminder', 'reminder', 'reminder', 'escalation']);
  });

  it('a scheduler that starts after the deadline sends every alert it missed, once; a restarted one sends nothing again; a met obligation gets none', async () => {
    if (!available()) return;
    await f.ack('cncert-20261128-0003', 'op-cucc', bj('2026-11-28T11:45'));
    await f.ack('cncert-20261128-0003', 'op-ctcc', bj('2026-11-28T11:45'));
    await f.accept(accepted('disposal-feedback', bj('2026-11-28T12:00'), { id: 'op-ctcc-20261128-0001', from: 'op-ctcc', cc: [] }));
    clock.set(bj('2026-11-28T18:00'));
    const missed = await race();
    // op-cucc's feedback (due 15:45) and cncert's verification of op-ctcc's feedback (12:00 → 16:00); op-ctcc's own was met.
    expect(missed.map((a) => `${a.obligation}:${a.party}:${a.kind}:${a.fraction}`).sort()).toEqual([
      'disposal-feedback:op-cucc:escalation:1', 'disposal-feedback:op-cucc:reminder:0.5', 'disposal-feedback:op-cucc:reminder:0.75', 'disposal-feedback:op-cucc:reminder:0.9',
      'verification:cncert:escalation:1', 'verification:cncert:reminder:0.5', 'verification:cncert:reminder:0.75', 'verification:cncert:reminder:0.9',
    ]);
    // The scheduler of a process started afresh on the same database.
    const restarted = await openStore(url?.() ?? `sqlite:${String(f.ds.options.database)}`, { migrations });
    try {
      expect(await runScheduler(restarted, clock.now())).toEqual([]);
    } finally {
      await restarted.destroy();
    }
    expect((await topics()).length).toBe(12);
    expect(await verifyAuditChain(f.ds)).toMatchObject({ ok: true });
  });
}
