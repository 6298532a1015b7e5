import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { obligationHooks } from '../../../gateway/obligations/hooks';
import { MessageEntity, migrate, openStore } from '../../../gateway/store';
import { migrations } from '../../../migrations';
import { runCli } from '../../support/capture-io';
import { acceptDocument } from '../../gateway/compliance/accept-document';
import { accepted } from '../../gateway/obligations/support';

const DAY = 86_400_000;

describe('mmgw retention purge', () => {
  const saved = { url: process.env.MMGW_DATABASE_URL, data: process.env.MMGW_DATA_DIR };
  let dir = '';
  let url = '';
  // The CLI judges by the system clock, so the messages are placed relative to it.
  const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

  const bytesOf = async () => {
    const ds = await openStore(url, { migrations });
    try {
      const rows = await ds.manager.find(MessageEntity, { order: { id: 'ASC' } });
      return Object.fromEntries(rows.map((r) => [r.id, r.bytes.length]));
    } finally {
      await ds.destroy();
    }
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-cli-retention-'));
    url = `sqlite:${path.join(dir, 'mmgw.sqlite')}`;
    process.env.MMGW_DATABASE_URL = url;
    process.env.MMGW_DATA_DIR = dir;
    const ds = await openStore(url, { migrations });
    try {
      await migrate(ds);
      const f = { ds, hooks: obligationHooks() };
      const report = (id: string, daysAgo: number) => acceptDocument(f, accepted('incident-report', ago(daysAgo), { id, body: { discoveredAt: ago(daysAgo + 0.05) } }));
      await report('op-cmcc-100d', 100);
      await report('op-cmcc-30d', 30);
    } finally {
      await ds.destroy();
    }
  });
  afterAll(() => {
    for (const [k, v] of [['MMGW_DATABASE_URL', saved.url], ['MMGW_DATA_DIR', saved.data]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--dry-run lists what would go and changes nothing', async () => {
    const before = await bytesOf();
    const r = await runCli('retention', 'purge', '--dry-run');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('would purge op-cmcc-100d (IncidentReport');
    expect(r.stdout).not.toContain('op-cmcc-30d');
    expect(r.stdout).toMatch(/dry run: would purge 1 message\(s\) and 0 sample file\(s\) accepted before .* \(60 days\)/);
    expect(await bytesOf()).toEqual(before);
  });

  it('purges past the default 60 days, --days 20 reaches further, and the audit chain still verifies', async () => {
    const r = await runCli('retention', 'purge');
    expect([r.code, r.stdout]).toEqual([0, expect.stringContaining('purged 1 message(s)')]);
    expect(await bytesOf()).toEqual({ 'op-cmcc-100d': 0, 'op-cmcc-30d': expect.any(Number) as unknown });
    expect((await bytesOf())['op-cmcc-30d']).toBeGreaterThan(0);
    expect((await runCli('retention', 'purge', '--days', '20')).stdout).toContain('purged op-cmcc-30d');
    expect(await bytesOf()).toEqual({ 'op-cmcc-100d': 0, 'op-cmcc-30d': 0 });
    const verify = await runCli('audit', 'verify');
    expect([verify.code, verify.stdout]).toEqual([0, expect.stringContaining('audit chain verifies: 2 entries')]);
  });

  it('hold keeps a case past retention until released; an unknown case exits 1', async () => {
    const ds = await openStore(url, { migrations });
    try {
      await acceptDocument({ ds, hooks: obligationHooks() }, accepted('incident-report', ago(90), { id: 'op-cmcc-held', body: { discoveredAt: ago(90.05) } }));
    } finally {
      await ds.destroy();
    }
    expect(await runCli('retention', 'hold', 'op-cmcc-held')).toMatchObject({ code: 0, stdout: 'case op-cmcc-held: legal hold set\n' });
    expect((await runCli('retention', 'purge')).stdout).toContain('kept op-cmcc-held: its case is under legal hold');
    expect((await bytesOf())['op-cmcc-held']).toBeGreaterThan(0);
    expect((await runCli('retention', 'hold', 'op-cmcc-held', '--release')).stdout).toContain('legal hold released');
    expect((await runCli('retention', 'purge')).stdout).toContain('purged op-cmcc-held');
    const unknown = await runCli('retention', 'hold', 'CNCERT-NONE');
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringContaining('[obligation.unknown-case]')]);
  });

  it('bad --days exits 2', async () => {
    const r = await runCli('retention', 'purge', '--days', '0');
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('[retention.bad-days]')]);
  });
});
