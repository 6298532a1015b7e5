import { clientIdentity, GatewayClient } from '../../../adapters/cli/client';
import { handleAlertMessage } from '../../../gateway/obligations/alerts-consumer';
import { openGatewayWorld, type GatewayWorld } from './gateway-world';

jest.setTimeout(60_000);

const escalation = (row: number) => ({
  id: `obligation.escalation:${row}@1764300000000:escalation:1`,
  topic: 'obligation.escalation',
  payload: Buffer.from(JSON.stringify({
    kind: 'escalation', obligationRowId: row, obligation: 'disposal-feedback', party: 'op-cmcc', counterparty: 'cncert', caseKey: 'op-cmcc-20261128-0007', taskNumber: 'CNCERT-2026-1128-017',
    level: 'II', fraction: 1, start: '2026-11-28T03:40:00.000Z', due: '2026-11-28T05:40:00.000Z', at: '2026-11-28T05:40:00.000Z', recipients: ['op-cmcc', 'miit', 'ca-44'],
  })),
});

// GET /v1/alerts and `mmgw alerts` over the real HTTPS interface (mutual TLS): each institution sees its own alerts only.
describe('mmgw alerts / GET /v1/alerts', () => {
  let w: GatewayWorld;
  beforeAll(async () => {
    w = await openGatewayWorld();
    for (const row of [41, 42]) await handleAlertMessage(w.gateway.dataSource, escalation(row), { clock: w.gateway.clock });
  });
  afterAll(async () => w.close());

  it('lists the caller\'s alerts oldest first with their Chinese-then-English text; an institution without any is told so', async () => {
    const r = await w.cli('alerts', '--as', 'miit');
    expect([r.code, r.stderr]).toEqual([0, '']);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^alr-\d{8} {2}escalation {2}\S+\+08:00 {2}obligation:41 {2}task CNCERT-2026-1128-017 {2}unread$/);
    expect(lines[1]).toMatch(/^ {4}督办：op-cmcc 的 disposal-feedback 义务（任务编号 CNCERT-2026-1128-017）已于 2026-11-28T13:40:00\+08:00（北京时间）到期/);
    expect(lines[2]).toMatch(/^ {4}Escalation: op-cmcc's disposal-feedback \(task CNCERT-2026-1128-017\) was due 2026-11-28T13:40:00\+08:00/);
    expect(lines[3]).toMatch(/ obligation:42 /);
    expect((await w.cli('alerts', '--as', 'op-cbn')).stdout).toBe('no alerts for op-cbn\n');
  });

  it('--ack marks one read once; another institution cannot see or mark it; --unread and paging; bad options are refused with the rule', async () => {
    const page = JSON.parse((await w.cli('alerts', '--as', 'ca-44', '--json')).stdout) as { items: { alertId: string; details: { recipients: string[] } }[]; next: string | null };
    expect(page.items).toHaveLength(2);
    expect(page.items[0]!.details.recipients).toEqual(['op-cmcc', 'miit', 'ca-44']);
    const id = page.items[0]!.alertId;

    const stranger = await w.cli('alerts', '--as', 'op-cmcc', '--ack', id);
    expect(stranger.code).toBe(1);
    expect(stranger.stderr).toMatch(/^refused: HTTP 404 alert\.unknown-alert: no alert alr-\d+ of op-cmcc/m);
    const first = await w.cli('alerts', '--as', 'ca-44', '--ack', id);
    expect([first.code, first.stdout]).toEqual([0, expect.stringMatching(new RegExp(`^${id} read \\S+\\+08:00\\n$`)) as unknown]);
    expect((await w.cli('alerts', '--as', 'ca-44', '--ack', id)).stdout).toMatch(/ \(already\)\n$/);

    const unread = JSON.parse((await w.cli('alerts', '--as', 'ca-44', '--unread', '--json')).stdout) as { items: { alertId: string }[] };
    expect(unread.items.map((a) => a.alertId)).toEqual([page.items[1]!.alertId]);
    const one = await w.cli('alerts', '--as', 'ca-44', '--limit', '1');
    const next = /^next: (alr-\d+)$/m.exec(one.stdout)![1]!;
    expect((await w.cli('alerts', '--as', 'ca-44', '--after', next, '--json')).stdout).toContain(page.items[1]!.alertId);

    expect((await w.cli('alerts', '--as', 'ca-44', '--limit', 'ten')).code).toBe(2);
    const tooMany = await w.cli('alerts', '--as', 'ca-44', '--limit', '1000');
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toMatch(/^refused: HTTP 400 alert\.bad-query: /m);
    expect(tooMany.stderr).toMatch(/^ {2}query\.limit: limit must be a whole number from 1 to 200, got "1000" \[alert\.bad-query\]$/m);
    const client = new GatewayClient(w.server.url, clientIdentity({ as: 'ca-44', dataDir: w.dataDir }));
    const unknownParam = await client.send('GET', '/v1/alerts?unread=1');
    expect([unknownParam.status, (JSON.parse(unknownParam.body.toString()) as { errors: { path: string }[] }).errors.map((e) => e.path)]).toEqual([400, ['query.unread']]);
  });
});
