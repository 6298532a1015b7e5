import { PermanentError } from '../../../gateway/bus/permanent-error';
import { TransientError } from '../../../gateway/bus/transient-error';
import { TestClock } from '../../../gateway/clock/test-clock';
import { acknowledgeAlert, alertSpecOf, listAlerts } from '../../../gateway/obligations/alerts';
import { handleAlertMessage } from '../../../gateway/obligations/alerts-consumer';
import { AlertEmailEntity, AlertEntity } from '../../../gateway/obligations/alerts-entity';
import { seedRegistry } from '../../../gateway/registry';
import { AuditEntryEntity } from '../../../gateway/store/entities/audit-entry';
import { verifyAuditChain } from '../../../gateway/audit/verify';
import { MIIT_ADDRESS, OP_CMCC_ADDRESSES, recordingMailer, registerContacts } from './alerts-support';
import { OutboxEntity } from '../../../gateway/store/entities/outbox';
import { accepted, bj, useFixture } from './support';

const msg = (topic: string, id: string, payload: unknown) => ({ id, topic, payload: Buffer.from(JSON.stringify(payload)) });

const REMINDER = msg('obligation.reminder', 'obligation.reminder:7@1764300000000:reminder:0.5', {
  kind: 'reminder', obligationRowId: 7, obligation: 'disposal-feedback', party: 'op-cmcc', counterparty: 'cncert', caseKey: 'op-cmcc-20261128-0001', taskNumber: 'MIIT-2026-0042',
  level: 'III', fraction: 0.5, start: '2026-11-28T03:40:00.000Z', due: '2026-11-28T07:40:00.000Z', at: '2026-11-28T05:40:00.000Z', recipients: ['op-cmcc'],
});
const ESCALATION = msg('obligation.escalation', 'obligation.escalation:7@1764300000000:escalation:1', {
  ...(JSON.parse(REMINDER.payload.toString()) as object), kind: 'escalation', fraction: 1, at: '2026-11-28T07:40:00.000Z', recipients: ['op-cmcc', 'miit', 'ca-11', 'ca-44'],
});

describe('alerts consumer (issue 6, item 4): stored per recipient, mailed to registered addresses, once', () => {
  const f = useFixture();
  const clock = new TestClock(bj('2026-11-28T13:40'));
  beforeAll(async () => {
    await seedRegistry(f.ds, clock.now());
    await registerContacts(f.ds, clock.now());
  });

  it('reads every topic of the alerts queue into its recipients and a Chinese-then-English text; an unreadable one is parked, not dropped', () => {
    const r = alertSpecOf(REMINDER);
    expect([r.kind, r.recipients, r.subject, r.taskNumber]).toEqual(['reminder', ['op-cmcc'], 'obligation:7', 'MIIT-2026-0042']);
    expect(r.text).toBe('提醒：op-cmcc 的 disposal-feedback 义务（任务编号 MIIT-2026-0042）已过时限的 50%，截止时间 2026-11-28T15:40:00+08:00（北京时间）。\n'
      + 'Reminder: op-cmcc\'s disposal-feedback (task MIIT-2026-0042) has used 50 % of its time; it is due 2026-11-28T15:40:00+08:00 (Beijing time).');
    const e = alertSpecOf(ESCALATION);
    expect([e.kind, e.recipients]).toEqual(['escalation', ['op-cmcc', 'miit', 'ca-11', 'ca-44']]);
    expect(e.text).toMatch(/^督办：.*已于 2026-11-28T15:40:00\+08:00（北京时间）到期.*\nEscalation: .* told to op-cmcc, miit, ca-11, ca-44\.$/);
    const g = alertSpecOf(msg('case.regraded', 'case.regraded:op-cmcc-20261128-0001:I', { caseKey: 'op-cmcc-20261128-0001', taskNumber: null, from: 'III', to: 'I', at: '2026-11-28T04:00:00.000Z', messageId: 'op-cmcc-20261128-0002', parties: ['op-cmcc', 'miit', 'cncert', 'ca-44'], retimed: [] }));
    expect([g.kind, g.recipients, g.subject]).toEqual(['regrade', ['op-cmcc', 'miit', 'cncert', 'ca-44'], 'op-cmcc-20261128-0001']);
    expect(g.text).toContain('由 III 级升为 I 级');
    const c = alertSpecOf(msg('contacts.confirmation-requested', 'contacts.confirmation-requested:op-cucc:2026-Q4', { institution: 'op-cucc', period: '2026-Q4' }));
    expect([c.kind, c.recipients, c.subject]).toEqual(['contact-confirmation', ['op-cucc'], 'contacts:op-cucc']);

    for (const bad of [
      { ...REMINDER, payload: Buffer.from('not json') },
      msg('obligation.reminder', 'x', { obligation: 'disposal-feedback', party: 'op-cmcc', recipients: [] }),
      msg('case.closed', 'y', { caseKey: 'k' }),
    ]) {
      let thrown: unknown;
      try {
        alertSpecOf(bad);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(PermanentError);
      expect(thrown).toMatchObject({ code: 'alert.bad-payload', message: expect.stringContaining(`message ${bad.id} cannot be read`) as unknown });
    }
  });

  it('an escalation is stored once per recipient and mailed once per registered address, however often and however concurrently it comes', async () => {
    const mailer = recordingMailer();
    const settled = await Promise.allSettled([1, 2, 3].map(() => handleAlertMessage(f.ds, ESCALATION, { clock, mailer })));
    const outcomes = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(outcomes.filter((o) => o.stored)).toHaveLength(1);
    // A consumer that finds an e-mail in another's hands does not acknowledge yet (the bus retries it).
    for (const r of settled) if (r.status === 'rejected') expect(r.reason).toMatchObject({ name: 'TransientError', message: expect.stringContaining('is being sent by another consumer') as unknown });
    const again = await handleAlertMessage(f.ds, ESCALATION, { clock, mailer });
    expect(again.stored).toBe(false);

    const rows = await f.ds.manager.find(AlertEntity, { where: { alertKey: ESCALATION.id }, order: { recipient: 'ASC' } });
    expect(rows.map((r) => [r.recipient, r.kind, r.taskNumber])).toEqual([['ca-11', 'escalation', 'MIIT-2026-0042'], ['ca-44', 'escalation', 'MIIT-2026-0042'], ['miit', 'escalation', 'MIIT-2026-0042'], ['op-cmcc', 'escalation', 'MIIT-2026-0042']]);
    // ca-11 and ca-44 registered no contacts: told over the API only.
    expect(mailer.sent.map((m) => m.to).sort()).toEqual([MIIT_ADDRESS, ...OP_CMCC_ADDRESSES].sort());
    const byRecipient = new Map(rows.map((r) => [`alr-${String(r.id).padStart(8, '0')}`, r.recipient]));
    expect(mailer.sent.map((m) => byRecipient.get(m.alertId)).sort()).toEqual(['miit', 'op-cmcc', 'op-cmcc', 'op-cmcc', 'op-cmcc']);
    expect(mailer.sent[0]!.json).toMatchObject({ kind: 'escalation', taskNumber: 'MIIT-2026-0042', text: expect.stringContaining('Escalation: ') as unknown });
    expect(await f.ds.manager.countBy(AuditEntryEntity, { kind: 'alert', subject: 'obligation:7' })).toBe(1);
    // Ids longer than the dedupe column are claimed by their SHA-256, not cut: two that share a long prefix stay two alerts.
    const long = (level: string) => msg('case.regraded', `case.regraded:${'x'.repeat(140)}:${level}`, { caseKey: 'x'.repeat(100), to: level, parties: ['rr-demo'] });
    expect((await handleAlertMessage(f.ds, long('II'), { clock })).stored).toBe(true);
    expect((await handleAlertMessage(f.ds, long('I'), { clock })).stored).toBe(true);
    expect((await handleAlertMessage(f.ds, long('I'), { clock })).stored).toBe(false);
    expect(await verifyAuditChain(f.ds)).toMatchObject({ ok: true });
  });

  it('a mailer refusal keeps the alert and retries only the e-mails not yet taken; a mailer that renders alerts gets the subject and text', async () => {
    const mailer = recordingMailer({ alerts: true });
    mailer.failFor.add('security@chinamobile.example.cn');
    let thrown: unknown;
    try {
      await handleAlertMessage(f.ds, REMINDER, { clock, mailer });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(TransientError);
    expect(thrown).toMatchObject({ code: 'alert.email-failed', message: expect.stringContaining('security@chinamobile.example.cn: 550 mailbox') as unknown });
    expect(await f.ds.manager.countBy(AlertEntity, { alertKey: REMINDER.id })).toBe(1);
    expect(mailer.sent.map((m) => m.to).sort()).toEqual(OP_CMCC_ADDRESSES.filter((a) => a !== 'security@chinamobile.example.cn').sort());
    const failed = await f.ds.manager.findOneByOrFail(AlertEmailEntity, { address: 'security@chinamobile.example.cn', state: 'pending' });
    expect([failed.attempts, failed.lastError]).toEqual([1, '550 mailbox security@chinamobile.example.cn unavailable']);

    // The bus's retry: the rows are there already, only the refused e-mail goes again.
    mailer.failFor.clear();
    clock.advance(4000);
    await handleAlertMessage(f.ds, REMINDER, { clock, mailer });
    expect(mailer.sent.map((m) => m.to).sort()).toEqual([...OP_CMCC_ADDRESSES].sort());
    expect(await f.ds.manager.findOneByOrFail(AlertEmailEntity, { id: failed.id })).toMatchObject({ state: 'sent', attempts: 2, lastError: null, sentAt: clock.now() });
    expect(mailer.sent.every((m) => m.via === 'sendAlert')).toBe(true);
    expect(mailer.sent[0]!.subject).toBe('[移动恶意程序监测与处置 / Mobile malware gateway] 时限提醒 / deadline reminder obligation:7');
    expect(mailer.sent[0]!.text).toMatch(/^提醒：.*\nReminder: /);
  });

  it('an e-mail claimed by a consumer that died while sending is taken over only once the claim is stale', async () => {
    const mailer = recordingMailer();
    const key = msg('contacts.confirmation-requested', 'contacts.confirmation-requested:op-cmcc:2026-Q4', { institution: 'op-cmcc', period: '2026-Q4' });
    mailer.failFor.add('wangjg@chinamobile.example.cn');
    await expect(handleAlertMessage(f.ds, key, { clock, mailer })).rejects.toBeInstanceOf(TransientError);
    const [row] = await f.ds.manager.findBy(AlertEntity, { alertKey: key.id });
    // Another consumer claimed it and died before marking it sent.
    await f.ds.manager.update(AlertEmailEntity, { alertId: row!.id, address: 'wangjg@chinamobile.example.cn' }, { state: 'sending', claimedAt: clock.now() });
    mailer.failFor.clear();
    // A redelivery while the claim is fresh: not acknowledged (retried later), nothing mailed twice.
    await expect(handleAlertMessage(f.ds, key, { clock, mailer, staleClaimMs: 60_000 })).rejects.toThrow(/wangjg@chinamobile\.example\.cn is being sent by another consumer/);
    expect(mailer.sent.filter((m) => m.to === 'wangjg@chinamobile.example.cn')).toHaveLength(0);
    clock.advance(60_001);
    await handleAlertMessage(f.ds, key, { clock, mailer, staleClaimMs: 60_000 });
    expect(mailer.sent.filter((m) => m.to === 'wangjg@chinamobile.example.cn')).toHaveLength(1);
  });

  it('without a mailer an alert is stored for the API only; GET /v1/alerts pages a recipient\'s alerts; acknowledging is the recipient\'s alone, once', async () => {
    const other = msg('obligation.escalation', 'obligation.escalation:8@1764300000000:escalation:1', { ...(JSON.parse(ESCALATION.payload.toString()) as object), obligationRowId: 8 });
    await handleAlertMessage(f.ds, other, { clock });
    const rowIds = (await f.ds.manager.findBy(AlertEntity, { alertKey: other.id })).map((r) => r.id);
    expect(await f.ds.manager.countBy(AlertEmailEntity, rowIds.map((alertId) => ({ alertId })))).toBe(0);

    const all = await listAlerts(f.ds, { recipient: 'miit' });
    expect(all.items.map((a) => [a.kind, a.subject])).toEqual([['escalation', 'obligation:7'], ['escalation', 'obligation:8']]);
    expect(all.items[0]!.emails).toEqual([{ address: MIIT_ADDRESS, state: 'sent', sentAt: expect.any(Date) as unknown }]);
    expect(all.items[1]!.emails).toEqual([]);
    const first = await listAlerts(f.ds, { recipient: 'miit', limit: 1 });
    expect(first.items.map((a) => a.alertId)).toEqual([all.items[0]!.alertId]);
    expect((await listAlerts(f.ds, { recipient: 'miit', after: first.next! })).items.map((a) => a.alertId)).toEqual([all.items[1]!.alertId]);
    await expect(listAlerts(f.ds, { recipient: 'miit', limit: 0 })).rejects.toMatchObject({ code: 'alert.bad-query', facts: expect.objectContaining({ field: 'limit' }) as unknown });
    await expect(listAlerts(f.ds, { recipient: 'miit', after: 'dlv-1' })).rejects.toMatchObject({ code: 'alert.bad-query', facts: expect.objectContaining({ field: 'after' }) as unknown });

    const id = all.items[0]!.alertId;
    await expect(acknowledgeAlert(f.ds, id, 'op-cmcc', clock.now())).rejects.toMatchObject({ code: 'alert.unknown-alert' });
    await expect(acknowledgeAlert(f.ds, 'alr-99999999', 'miit', clock.now())).rejects.toMatchObject({ code: 'alert.unknown-alert' });
    const at = clock.now();
    expect(await acknowledgeAlert(f.ds, id, 'miit', at)).toEqual({ alertId: id, acknowledgedAt: at, duplicate: false });
    clock.advance(1000);
    expect(await acknowledgeAlert(f.ds, id, 'miit', clock.now())).toEqual({ alertId: id, acknowledgedAt: at, duplicate: true });
    expect((await listAlerts(f.ds, { recipient: 'miit', unacknowledged: true })).items.map((a) => a.alertId)).toEqual([all.items[1]!.alertId]);
  });

  it('a re-grading III → I (item 3) tells every party of the case: the case.regraded row its transaction wrote becomes one alert per party', async () => {
    const III = { level: 'III', lossYuan: 1850000.5, infectedNumbers24h: 20000 };
    await f.accept(accepted('incident-report', bj('2026-11-28T10:53'), { body: III }));
    await f.accept(accepted('incident-notice', bj('2026-11-28T11:31'), { body: { level: 'III' } }));
    await f.accept(accepted('incident-report', bj('2026-11-28T12:30'), { id: 'op-cmcc-20261128-0009', taskNumber: 'CNCERT-2026-1128-017', body: { ...III, infectedNumbers24h: 150000 } }));
    const [row] = await f.ds.manager.findBy(OutboxEntity, { topic: 'case.regraded' });
    const { spec, stored } = await handleAlertMessage(f.ds, { id: row!.messageId, topic: row!.topic, payload: row!.payload }, { clock, mailer: recordingMailer() });
    expect(stored).toBe(true);
    const told = await f.ds.manager.find(AlertEntity, { where: { alertKey: spec.key }, order: { recipient: 'ASC' } });
    expect(told.map((r) => r.recipient)).toEqual(['ca-11', 'ca-44', 'cncert', 'miit', 'op-cmcc', 'op-ctcc', 'op-cucc']);
    expect(told.every((r) => r.kind === 'regrade' && r.taskNumber === 'CNCERT-2026-1128-017')).toBe(true);
    expect(told[0]!.text).toMatch(/^升级：事件（任务编号 CNCERT-2026-1128-017）于 2026-11-28T12:30:00\+08:00 由 III 级升为 I 级（报文 op-cmcc-20261128-0009）/);
  });
});
