import * as path from 'node:path';
import { acceptedId, openGatewayWorld, type GatewayWorld } from './gateway-world';

jest.setTimeout(60_000);

const EXAMPLE = path.resolve(__dirname, '..', '..', '..', 'contracts', 'examples', 'incident-report.json');

describe('mmgw inbox', () => {
  let w: GatewayWorld;
  beforeAll(async () => { w = await openGatewayWorld(); });
  afterAll(async () => w.close());

  it('an empty mailbox says so', async () => {
    const r = await w.cli('inbox', '--as', 'op-cbn');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^no deliveries for op-cbn\n(next: \S+\n)?$/);
  });

  it('--wait holds the request until a delivery arrives', async () => {
    const waiting = w.cli('inbox', '--as', 'ca-44', '--wait', '20', '--json');
    await new Promise((r) => setTimeout(r, 300));
    const id = acceptedId((await w.cli('send', EXAMPLE, '--as', 'op-cmcc')).stdout);
    const r = await waiting;
    expect(r.code).toBe(0);
    const page = JSON.parse(r.stdout) as { items: { messageId: string; mediaType: string; document: string }[]; next: string };
    expect(page.items.map((i) => i.messageId)).toEqual([id]);
    expect(page.items[0]!.mediaType).toBe('application/jose+json');
    expect(JSON.parse(page.items[0]!.document)).toHaveProperty('signature'); // the sender's signed document, unchanged
  });

  it('pages oldest first with the cursor: --limit, then --after the printed next', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(acceptedId((await w.cli('send', EXAMPLE, '--as', 'op-cmcc')).stdout));
    const all = JSON.parse((await w.cli('inbox', '--as', 'miit', '--json', '--limit', '100', '--wait', '5')).stdout) as { items: { messageId: string }[] };
    // Routing runs in the background: wait until the three are there.
    for (let n = 0; n < 50 && ids.some((id) => !all.items.some((i) => i.messageId === id)); n++) {
      await new Promise((r) => setTimeout(r, 100));
      all.items = (JSON.parse((await w.cli('inbox', '--as', 'miit', '--json', '--limit', '100')).stdout) as { items: { messageId: string }[] }).items;
    }
    const order = all.items.map((i) => i.messageId).filter((m) => ids.includes(m));
    expect(order).toEqual(ids);
    const first = await w.cli('inbox', '--as', 'miit', '--limit', '1');
    const lines = first.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^dlv-\d{8,} {2}IncidentReport {2}from op-cmcc {2}message \S+ {2}sent {2}\S+$/);
    const next = /^next: (\S+)$/.exec(lines[1]!)![1]!;
    const rest = await w.cli('inbox', '--as', 'miit', '--after', next, '--limit', '100', '--json');
    const restIds = (JSON.parse(rest.stdout) as { items: { messageId: string }[] }).items.map((i) => i.messageId);
    expect(restIds).not.toContain(/message (\S+)/.exec(lines[0]!)![1]);
    expect(restIds.length).toBe(all.items.length - 1);
  });

  it('bad options: exit 2 from the CLI, or the API\'s refusal (exit 1)', async () => {
    const bad = await w.cli('inbox', '--as', 'miit', '--limit', 'ten');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--limit must be a whole number');
    const tooMany = await w.cli('inbox', '--as', 'miit', '--limit', '1000');
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toMatch(/^refused: HTTP 400 http\.bad-request: /m);
    expect(tooMany.stderr).toMatch(/^ {2}query\.limit: .*\[http\.bad-request\]$/m);
  });
});
