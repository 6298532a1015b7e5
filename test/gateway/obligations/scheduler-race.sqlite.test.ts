import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { verifyAuditChain } from '../../../gateway/audit/verify';
import type { SentAlert } from '../../../gateway/obligations/scheduler';
import { OutboxEntity } from '../../../gateway/store/entities/outbox';
import { accepted, bj, useFixture } from './support';

const run = promisify(execFile);
const UNITS = Array.from({ length: 20 }, (_, i) => `op-u${String(i + 1).padStart(2, '0')}`);

// Two gateway PROCESSES race the scheduler on one SQLite file (WAL): each alert goes out once.
describe('obligation scheduler: two processes racing on one SQLite file', () => {
  const f = useFixture();

  it('sends each of 20 × (3 reminders + 1 escalation) exactly once between two processes', async () => {
    await f.accept(accepted('incident-report', bj('2026-11-28T10:53'), { body: { level: 'III', lossYuan: 100, infectedNumbers24h: 20000 } }));
    await f.accept(accepted('incident-notice', bj('2026-11-28T11:31'), { to: UNITS, body: { level: 'III' } }));
    for (const unit of UNITS) await f.ack('cncert-20261128-0003', unit, bj('2026-11-28T11:40'));
    const url = `sqlite:${String(f.ds.options.database)}`;
    const instants = ['13:40', '14:40', '15:16', '15:40'].map((t) => new Date(bj(`2026-11-28T${t}`)).toISOString());
    const child = () => run(process.execPath, [path.join(__dirname, 'scheduler-process.js'), url, ...instants], { timeout: 60_000 });
    const outputs = await Promise.all([child(), child()]);
    const sent = outputs.flatMap((o) => JSON.parse(o.stdout) as SentAlert[]);
    const keys = sent.map((a) => `${a.party}:${a.kind}:${a.fraction}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(UNITS.length * 4);
    expect(await f.ds.manager.countBy(OutboxEntity, { topic: 'obligation.reminder' })).toBe(UNITS.length * 3);
    expect(await f.ds.manager.countBy(OutboxEntity, { topic: 'obligation.escalation' })).toBe(UNITS.length);
    // Both processes appended to the audit chain: it did not fork.
    expect(await verifyAuditChain(f.ds)).toMatchObject({ ok: true, count: UNITS.length * 4 });
  }, 90_000);
});
