import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createGateway, type Gateway } from '../../../gateway/app';
import { TestClock } from '../../../gateway/clock/test-clock';
import { readGatewayConfig } from '../../../gateway/config';
import { handleAlertMessage } from '../../../gateway/obligations/alerts-consumer';
import { listAlerts } from '../../../gateway/obligations/alerts';
import { AlertEmailEntity, AlertEntity } from '../../../gateway/obligations/alerts-entity';
import { OutboxEntity } from '../../../gateway/store/entities/outbox';
import { useMariaDb, useRabbitMq } from '../../support/services';
import { MIIT_ADDRESS, OP_CMCC_ADDRESSES, recordingMailer, registerContacts, waitUntil } from './alerts-support';
import { accepted, bj, useFixture } from './support';

jest.setTimeout(240_000);

const III = { level: 'III', lossYuan: 1850000.5, infectedNumbers24h: 20000 };

// Issue 6 Done-when: "a reminder and an escalation delivered once with two gateway processes
// running". Two gateways (two createGateway: each its own database pool, RabbitMQ connection,
// scheduler loop, outbox relay and alerts consumer) on one MariaDB database and one RabbitMQ
// vhost, driven by one TestClock. Each alert reaches each recipient once (one alerts row) and
// each registered address once (one e-mail across both gateways' mailers).
describe('alerts delivered once per recipient with two gateways on MariaDB + RabbitMQ', () => {
  const db = useMariaDb(__filename);
  const mq = useRabbitMq(__filename);
  const f = useFixture({}, () => db.url);
  // The gateways live in this inner block, so they stop before the database and vhost are dropped.
  describe('two gateways', () => {
  const clock = new TestClock(bj('2026-11-28T11:00'));
  const mailers = [recordingMailer(), recordingMailer()];
  const gateways: Gateway[] = [];
  const logs: string[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    if (!db.available || !mq.available) return;
    for (const mailer of mailers) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-alerts-'));
      dirs.push(dir);
      const config = readGatewayConfig({ MMGW_DATABASE_URL: db.url, MMGW_AMQP_URL: mq.url, MMGW_LISTEN: '127.0.0.1:0' }, dir);
      gateways.push(await createGateway(config, { clock, alertMailer: mailer, schedulerIntervalMs: 50, relayIntervalMs: 50, log: (l) => logs.push(l) }));
    }
    await registerContacts(f.ds, clock.now());
    // disposal-feedback of op-cmcc: acknowledged 11:40, level III → due 15:40 (50 % 13:40, 75 % 14:40, 90 % 15:16).
    await f.accept(accepted('incident-report', bj('2026-11-28T10:53'), { body: III }));
    await f.accept(accepted('incident-notice', bj('2026-11-28T11:31'), { body: { level: 'III' } }));
    await f.ack('cncert-20261128-0003', 'op-cmcc', bj('2026-11-28T11:40'));
  });
  afterAll(async () => {
    for (const g of gateways) await g.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  const rows = () => f.ds.manager.find(AlertEntity, { order: { id: 'ASC' } });
  const mails = () => mailers.flatMap((m) => m.sent);
  const emailsSent = async () => (await f.ds.manager.find(AlertEmailEntity)).every((e) => e.state === 'sent');
  const settled = async (alerts: number, sent: number) => (await rows()).length >= alerts && mails().length >= sent && (await emailsSent())
    && (await f.ds.manager.countBy(OutboxEntity, { state: 'pending' })) === 0;

  it('each reminder (50, 75, 90 %) and the escalation reach each recipient once, over the API and at each registered address, while both schedulers and both consumers run', async () => {
    if (!db.available || !mq.available) return;
    let alerts = 0;
    let sent = 0;
    for (const [at, newAlerts, newMails] of [['13:40', 1, 4], ['14:40', 1, 4], ['15:16', 1, 4], ['15:40', 4, 5]] as const) {
      clock.set(bj(`2026-11-28T${at}`));
      alerts += newAlerts;
      sent += newMails;
      await waitUntil(`${alerts} alert rows and ${sent} e-mails at ${at}`, () => settled(alerts, sent), 60_000);
    }
    const stored = await rows();
    expect(stored.map((r) => `${r.kind}:${r.recipient}:${String(r.payload.fraction)}`)).toEqual([
      'reminder:op-cmcc:0.5', 'reminder:op-cmcc:0.75', 'reminder:op-cmcc:0.9',
      ...['op-cmcc', 'miit', 'ca-11', 'ca-44'].map((r) => `escalation:${r}:1`),
    ]);
    expect(stored.every((r) => r.payload.obligation === 'disposal-feedback' && r.payload.party === 'op-cmcc')).toBe(true);
    // One e-mail per alert row and registered address, whichever gateway sent it.
    const byRow = new Map(stored.map((r) => [`alr-${String(r.id).padStart(8, '0')}`, r]));
    const mailed = mails().map((m) => `${m.alertId}:${m.to}`);
    expect(mailed.filter((p, i) => mailed.indexOf(p) !== i)).toEqual([]);
    const sentPairs = mails().map((m) => `${byRow.get(m.alertId)?.kind}:${byRow.get(m.alertId)?.recipient}:${m.to}`);
    expect(sentPairs.filter((p) => p.startsWith('reminder:'))).toHaveLength(12);
    expect(sentPairs.filter((p) => p.startsWith('escalation:')).sort()).toEqual([`escalation:miit:${MIIT_ADDRESS}`, ...OP_CMCC_ADDRESSES.map((a) => `escalation:op-cmcc:${a}`)].sort());
    expect(logs).toEqual([]);

    // What the API shows miit: the escalation, mailed.
    const page = await listAlerts(gateways[1]!.dataSource, { recipient: 'miit' });
    expect(page.items.map((a) => [a.kind, a.taskNumber, a.emails.map((e) => [e.address, e.state])])).toEqual([['escalation', 'CNCERT-2026-1128-017', [[MIIT_ADDRESS, 'sent']]]]);
  });

  it('the escalation redelivered to both gateways at once (a consumer died before its ack) adds no row and no e-mail', async () => {
    if (!db.available || !mq.available) return;
    // The message as the bus carried it (the relay removed the outbox row once published).
    const [escalation] = await f.ds.manager.find(AlertEntity, { where: { kind: 'escalation', recipient: 'miit' } });
    const redelivered = { id: escalation!.alertKey, topic: escalation!.topic, payload: Buffer.from(JSON.stringify(escalation!.payload)) };
    const before = { rows: (await rows()).length, mails: mails().length };
    const outcomes = await Promise.all(gateways.map((g, i) => handleAlertMessage(g.dataSource, redelivered, { clock, mailer: mailers[i]! })));
    expect(outcomes.map((o) => o.stored)).toEqual([false, false]);
    expect(outcomes[0]!.rows.map((r) => r.recipient)).toEqual(['op-cmcc', 'miit', 'ca-11', 'ca-44']);
    expect({ rows: (await rows()).length, mails: mails().length }).toEqual(before);
  });
  });
});
