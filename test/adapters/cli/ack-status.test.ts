import * as path from 'node:path';
import { acceptedId, openGatewayWorld, type GatewayWorld } from './gateway-world';

jest.setTimeout(60_000);

const EXAMPLE = path.resolve(__dirname, '..', '..', '..', 'contracts', 'examples', 'incident-report.json');

interface Page { items: { deliveryId: string; messageId: string }[] }

describe('mmgw ack and mmgw status', () => {
  let w: GatewayWorld;
  let messageId: string;
  const deliveryOf = async (who: string): Promise<string> => {
    for (let n = 0; n < 100; n++) {
      const page = JSON.parse((await w.cli('inbox', '--as', who, '--json', '--limit', '100', '--wait', '5')).stdout) as Page;
      const hit = page.items.find((i) => i.messageId === messageId);
      if (hit) return hit.deliveryId;
    }
    throw new Error(`no delivery of ${messageId} for ${who}`);
  };
  beforeAll(async () => {
    w = await openGatewayWorld();
    messageId = acceptedId((await w.cli('send', EXAMPLE, '--as', 'op-cmcc')).stdout);
  });
  afterAll(async () => w.close());

  it('status before any acknowledgement: per recipient in to-then-cc order, none acknowledged', async () => {
    await deliveryOf('ca-11'); // routed
    const r = await w.cli('status', messageId, '--as', 'op-cmcc');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${messageId} IncidentReport from op-cmcc, received \\S+$`));
    expect(lines.slice(1, 5).map((l) => l.trim().split(/\s+/)[0])).toEqual(['miit', 'ca-11', 'ca-44', 'cncert']);
    expect(lines[5]).toBe('0 of 4 recipients acknowledged');
  });

  it('ack by the recipient (the message looked up in its mailbox, or given), once; again says so', async () => {
    const d = await deliveryOf('miit');
    const r = await w.cli('ack', d, '--as', 'miit', '--received-by', '值班室');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^acknowledged ${d} \\(message ${messageId}\\) at \\S+\\n$`));
    const again = await w.cli('ack', d, '--as', 'miit', '--message', messageId);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already acknowledged before');
    const s = await w.cli('status', messageId, '--as', 'miit', '--json');
    const json = JSON.parse(s.stdout) as { recipients: { recipient: string; status: string; acknowledgedAt: string | null }[] };
    expect(json.recipients.find((x) => x.recipient === 'miit')).toMatchObject({ status: 'acknowledged', acknowledgedAt: expect.any(String) });
    expect(json.recipients.filter((x) => x.status === 'acknowledged')).toHaveLength(1);
  });

  it('refusals: another institution\'s delivery (not in its mailbox, or named with --message), an unknown delivery, a stranger\'s status', async () => {
    const d = await deliveryOf('cncert');
    const notMine = await w.cli('ack', d, '--as', 'ca-44');
    expect(notMine.code).toBe(2);
    expect(notMine.stderr).toContain(`${d} is not in the mailbox of ca-44`);
    const forced = await w.cli('ack', d, '--as', 'ca-44', '--message', messageId);
    expect(forced.code).toBe(1);
    expect(forced.stderr).toMatch(/^refused: HTTP 4\d\d delivery\.[a-z-]+: /m);
    const unknown = await w.cli('ack', 'dlv-99999999', '--as', 'ca-44', '--message', messageId);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^refused: HTTP 4\d\d delivery\.[a-z-]+/m);
    const stranger = await w.cli('status', messageId, '--as', 'op-ctcc');
    expect(stranger.code).toBe(1);
    expect(stranger.stderr).toMatch(/^refused: HTTP 404 http\.not-found: no message/m);
    const s = JSON.parse((await w.cli('status', messageId, '--as', 'op-cmcc', '--json')).stdout) as { recipients: { recipient: string; status: string }[] };
    expect(s.recipients.find((x) => x.recipient === 'cncert')!.status).not.toBe('acknowledged');
  });

  it('when every recipient has acknowledged, the sender reads so', async () => {
    for (const who of ['ca-11', 'ca-44', 'cncert']) expect((await w.cli('ack', await deliveryOf(who), '--as', who)).code).toBe(0);
    const r = await w.cli('status', messageId, '--as', 'op-cmcc');
    expect(r.stdout).toMatch(/^every recipient acknowledged \(4\)$/m);
  });
});
