import type { DataSource } from 'typeorm';
import { declareSpecialPeriod } from '../../../gateway/obligations';
import { CaseEntity, CaseMessageEntity, ObligationEntity } from '../../../gateway/obligations/entities';
import type { AcceptedMessage } from '../../../gateway/obligations/hooks';
import { transaction } from '../../../gateway/store';
import { accepted, bj, storeMessage, useFixture, type Change, type Fixture } from './support';

const FIGURES = {
  I: { level: 'I', lossYuan: 100, infectedNumbers24h: 150000 },
  II: { level: 'II', lossYuan: 100, infectedNumbers24h: 60000 },
  III: { level: 'III', lossYuan: 100, infectedNumbers24h: 20000 },
  IV: { level: 'IV', lossYuan: 100, infectedNumbers24h: 100 },
} as const;

/** An IncidentReport that opens a case: `id` by `from`, discovered at `discovered`, accepted at `received` (Beijing local times). */
function report(id: string, from: string, level: keyof typeof FIGURES, discovered: string, received: string, change: Change = {}): AcceptedMessage {
  return accepted('incident-report', bj(received), { id, from, ...change, body: { ...FIGURES[level], discoveredAt: bj(discovered), ...(change.body ?? {}) } });
}

/** Everything the accept hook writes, without generated ids, in a stable order. */
async function snapshot(ds: DataSource): Promise<unknown> {
  const obligations = (await ds.manager.find(ObligationEntity, { order: { key: 'ASC' } })).map(({ id: _id, ...row }) => row);
  const cases = await ds.manager.find(CaseEntity, { order: { key: 'ASC' } });
  const links = await ds.manager.find(CaseMessageEntity, { order: { caseKey: 'ASC', messageId: 'ASC' } });
  return JSON.parse(JSON.stringify({ obligations, cases, links })) as unknown;
}

/** Statements sent through `ds` while `fn` runs. */
async function counting(ds: DataSource, fn: () => Promise<void>): Promise<number> {
  let n = 0;
  const logger = ds.logger;
  const original = logger.logQuery;
  logger.logQuery = (...args) => { n += 1; return original.apply(logger, args); };
  try {
    await fn();
  } finally {
    logger.logQuery = original;
  }
  return n;
}

/**
 * The accept hook for a whole batch (onMessagesAccepted, what intake calls for the messages one
 * transaction commits) leaves exactly the rows onMessageAccepted leaves called one by one in
 * arrival order: store A accepts each message in its own transaction, store B the same messages
 * in one transaction with the batch hook; their obligations, cases and links must be equal.
 */
export function batchedAcceptSuite(urls?: { a: () => string; b: () => string }, available: () => boolean = () => true): void {
  const one = useFixture({}, urls?.a);
  const batch = useFixture({}, urls?.b);

  const acceptOneByOne = async (list: readonly AcceptedMessage[]): Promise<void> => {
    for (const a of list) await one.accept(a);
  };
  const acceptBatch = (f: Fixture, list: readonly AcceptedMessage[]): Promise<void> => transaction(f.ds, async (m) => {
    for (const a of list) await storeMessage(m, a);
    await f.hooks.onMessagesAccepted!(m, list.map((a) => ({ accepted: a, now: a.receivedAt })));
  });
  const both = async (list: readonly AcceptedMessage[]): Promise<void> => {
    await acceptOneByOne(list);
    await acceptBatch(batch, list);
    expect(await snapshot(batch.ds)).toEqual(await snapshot(one.ds));
  };

  it('IncidentReports of every level (on time, late, level IV of two months, cncert\'s own, one in a special period) mixed with a notice and a follow-up report: the same rows as one by one', async () => {
    if (!available()) return;
    for (const f of [one, batch]) {
      await transaction(f.ds, (m) => declareSpecialPeriod(m, { id: 'summit', name: 'summit', start: new Date(bj('2026-12-01T00:00')), end: new Date(bj('2026-12-08T00:00')), hourFactor: 0.5 }, 'admin:wang', new Date(bj('2026-11-28T00:00'))));
    }
    await both([
      report('b1-a', 'op-cmcc', 'II', '2026-11-28T09:20', '2026-11-28T10:00'),
      report('b1-b', 'op-cucc', 'IV', '2026-11-20T09:00', '2026-11-20T12:00', { to: ['cncert'], cc: [] }),
      report('b1-c', 'op-ctcc', 'IV', '2026-11-20T10:00', '2026-11-20T12:01', { to: ['cncert'], cc: [] }),
      report('b1-c2', 'op-cucc', 'IV', '2026-11-21T10:00', '2026-11-21T12:01', { to: ['cncert'], cc: [] }),
      report('b1-d', 'cncert', 'III', '2026-11-28T09:00', '2026-11-28T14:00'),
      report('b1-e', 'op-cucc', 'III', '2026-12-02T09:00', '2026-12-02T11:01', { body: { provinces: ['11', '11', '44'] } }),
      report('b1-f', 'op-cmcc', 'I', '2026-11-28T09:20', '2026-11-28T11:21'),
      accepted('incident-notice', bj('2026-11-28T11:31'), { id: 'b1-notice', to: ['op-cmcc', 'op-cucc'], taskNumber: 'T-B1', inReplyTo: 'b1-a', body: { taskNumber: 'T-B1', level: 'II' } }),
      report('b1-g', 'op-cmcc', 'IV', '2026-10-15T09:00', '2026-10-16T10:00', { to: ['cncert'], cc: [] }),
      report('b1-h', 'op-cmcc', 'I', '2026-11-28T09:20', '2026-11-28T12:00', { taskNumber: 'T-B1' }),
      report('b1-i', 'op-cucc', 'II', '2026-11-28T09:20', '2026-11-28T12:05', { cc: ['ca-51', 'cncert', 'ca-51'] }),
    ]);
  });

  it('a phone call\'s open written follow-up for a sender: the batch falls back to one by one (the call meets the report\'s clock, the report closes the follow-up)', async () => {
    if (!available()) return;
    await both([accepted('emergency-notice', bj('2026-11-28T10:05'), { id: 'b2-call', to: ['op-phone'], taskNumber: null, body: { taskNumber: undefined, institution: 'op-phone', standsFor: 'IncidentReport', level: 'I', at: bj('2026-11-28T10:00') } })]);
    await both([
      report('b2-a', 'op-other', 'II', '2026-11-28T09:20', '2026-11-28T10:30'),
      report('b2-b', 'op-phone', 'I', '2026-11-28T09:20', '2026-11-28T12:00'),
    ]);
    expect(await batch.one({ obligation: 'event-report', party: 'op-phone' })).toMatchObject({ state: 'met', closedBy: 'b2-b' });
  });

  it('a report whose case exists already (a replay): falls back to one by one and changes nothing of the case but its link', async () => {
    if (!available()) return;
    const first = report('b3-a', 'op-cmcc', 'II', '2026-11-28T09:20', '2026-11-28T10:00');
    await both([first]);
    // The hook again for the same message (no messages row this time: a replay of the hook alone).
    for (const f of [one, batch]) {
      await transaction(f.ds, (m) => (f === one ? f.hooks.onMessageAccepted(m, first, first.receivedAt) : f.hooks.onMessagesAccepted!(m, [{ accepted: first, now: first.receivedAt }])));
    }
    expect(await snapshot(batch.ds)).toEqual(await snapshot(one.ds));
  });

  it('a report without a level in the batch: the same obligation.bad-body refusal, and the transaction writes nothing', async () => {
    if (!available()) return;
    const before = await batch.counts();
    const bad = accepted('incident-report', bj('2026-11-28T10:00'), { id: 'b4-bad', body: { level: undefined } });
    const good = report('b4-good', 'op-cmcc', 'II', '2026-11-28T09:20', '2026-11-28T10:00');
    await expect(one.accept(bad)).rejects.toMatchObject({ code: 'obligation.bad-body', facts: expect.objectContaining({ field: 'level' }) });
    await expect(acceptBatch(batch, [good, bad])).rejects.toMatchObject({ code: 'obligation.bad-body', facts: expect.objectContaining({ field: 'level' }) });
    expect(await batch.counts()).toEqual(before);
  });

  it('40 new IncidentReports take a fixed handful of statements, not ~16 each', async () => {
    if (!available()) return;
    const list = Array.from({ length: 40 }, (_, i) => report(`b5-${i}`, i % 2 ? 'op-cmcc' : 'op-cucc', i % 4 === 0 ? 'IV' : 'II', '2026-11-28T09:20', '2026-11-28T10:00'));
    const statements = await counting(batch.ds, () => transaction(batch.ds, (m) => batch.hooks.onMessagesAccepted!(m, list.map((a) => ({ accepted: a, now: a.receivedAt })))));
    // 4 checks, the special periods, 3 INSERTs, the month's obligations of two reporters, the transaction itself.
    expect(statements).toBeLessThanOrEqual(20);
    await acceptOneByOne(list.map((a) => a));
    // (store A has the messages rows too; B the rows the hook wrote)
    expect(await snapshot(batch.ds)).toEqual(await snapshot(one.ds));
  });
}
