import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createGateway, type Gateway } from '../../../gateway/app';
import { TestClock } from '../../../gateway/clock/test-clock';
import { readGatewayConfig } from '../../../gateway/config';
import { runScheduler } from '../../../gateway/obligations';
import { AlertEntity } from '../../../gateway/obligations/alerts-entity';
import { openStore, transaction } from '../../../gateway/store';
import { OutboxEntity } from '../../../gateway/store/entities/outbox';
import { migrations } from '../../../migrations';
import { OP_CMCC_ADDRESSES, recordingMailer, registerContacts, waitUntil } from './alerts-support';
import { accepted, bj, storeMessage } from './support';

jest.setTimeout(120_000);

const III = { level: 'III', lossYuan: 1850000.5, infectedNumbers24h: 20000 };

// The default deployment (npm start: SQLite, the embedded bus) and issue 6 item 4's "none is
// lost across restarts": an alert the scheduler wrote while no gateway ran is delivered by the
// next gateway to start, and what the first one delivered is not delivered again.
describe('alerts on the embedded bus across a restart', () => {
  let dir: string;
  const clock = new TestClock(bj('2026-11-28T11:00'));
  const gateways: Gateway[] = [];
  const logs: string[] = [];
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-alerts-restart-'));
  });
  afterAll(async () => {
    for (const g of gateways) await g.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reminds through the first gateway, keeps the alert written while none ran, and delivers it once after the restart', async () => {
    const config = readGatewayConfig({ MMGW_LISTEN: '127.0.0.1:0' }, dir);
    const start = async (mailer: ReturnType<typeof recordingMailer>) => {
      const g = await createGateway(config, { clock, alertMailer: mailer, schedulerIntervalMs: 50, embeddedPollMs: 20, log: (l) => logs.push(l) });
      gateways.push(g);
      return g;
    };
    const first = recordingMailer();
    const g1 = await start(first);
    await registerContacts(g1.dataSource, clock.now());
    for (const a of [accepted('incident-report', bj('2026-11-28T10:53'), { body: III }), accepted('incident-notice', bj('2026-11-28T11:31'), { body: { level: 'III' } })]) {
      await transaction(g1.dataSource, async (m) => {
        await storeMessage(m, a);
        await g1.hooks.onMessageAccepted(m, a, a.receivedAt);
      });
    }
    await transaction(g1.dataSource, (m) => g1.hooks.onDeliveryAcknowledged(m, { messageId: 'cncert-20261128-0003', deliveryId: 'dlv-op-cmcc', recipientCode: 'op-cmcc', acknowledgedAt: new Date(bj('2026-11-28T11:40')) }, new Date(bj('2026-11-28T11:40'))));
    const rows = (ds = g1.dataSource) => ds.manager.find(AlertEntity, { order: { id: 'ASC' } });

    // 50 % of op-cmcc's disposal-feedback (11:40 → 15:40): the running gateway reminds it.
    clock.set(bj('2026-11-28T13:40'));
    await waitUntil('the 50 % reminder, mailed', async () => (await rows()).length === 1 && first.sent.length === 4);
    await g1.stop();

    // No gateway runs at 14:40; a scheduler (another process) writes the 75 % reminder to the outbox.
    clock.set(bj('2026-11-28T14:40'));
    const alone = await openStore(`sqlite:${config.database.kind === 'sqlite' ? config.database.path : ''}`, { migrations });
    try {
      expect((await runScheduler(alone, clock.now())).map((a) => a.fraction)).toEqual([0.75]);
      expect(await alone.manager.countBy(AlertEntity, {})).toBe(1);
    } finally {
      await alone.destroy();
    }

    const second = recordingMailer();
    const g2 = await start(second);
    await waitUntil('the 75 % reminder, delivered after the restart', async () => (await rows(g2.dataSource)).length === 2 && second.sent.length === 4);
    clock.set(bj('2026-11-28T15:40'));
    await waitUntil('the 90 % reminder and the escalation', async () => (await rows(g2.dataSource)).length === 7 && second.sent.length === 13
      && (await g2.dataSource.manager.countBy(OutboxEntity, { state: 'pending' })) === 0);

    const stored = await rows(g2.dataSource);
    expect(stored.map((r) => `${r.kind}:${r.recipient}:${String(r.payload.fraction)}`)).toEqual([
      'reminder:op-cmcc:0.5', 'reminder:op-cmcc:0.75', 'reminder:op-cmcc:0.9', 'escalation:op-cmcc:1', 'escalation:miit:1', 'escalation:ca-11:1', 'escalation:ca-44:1',
    ]);
    const mailed = [...first.sent, ...second.sent].map((m) => `${m.alertId}:${m.to}`);
    expect(new Set(mailed).size).toBe(mailed.length);
    expect(first.sent.map((m) => m.to).sort()).toEqual([...OP_CMCC_ADDRESSES].sort());
    expect(logs).toEqual([]);
  });
});
