import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workbook } from 'exceljs';
import { obligationHooks } from '../../../gateway/obligations/hooks';
import { migrate, openStore } from '../../../gateway/store';
import { migrations } from '../../../migrations';
import { seedRegistry } from '../../../gateway/registry';
import { runCli } from '../../support/capture-io';
import { acceptDocument } from '../../gateway/compliance/accept-document';
import { accepted, bj } from '../../gateway/obligations/support';

describe('mmgw compliance', () => {
  const saved = process.env.MMGW_DATABASE_URL;
  let dir = '';
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-cli-compliance-'));
    const url = `sqlite:${path.join(dir, 'mmgw.sqlite')}`;
    process.env.MMGW_DATABASE_URL = url;
    const ds = await openStore(url, { migrations });
    try {
      await migrate(ds);
      await seedRegistry(ds, new Date(bj('2026-11-01T00:00'))); // the demo registry, as on a gateway's first start
      const f = { ds, hooks: obligationHooks() };
      const figures = { level: 'II', lossYuan: 100, infectedNumbers24h: 60000, discoveredAt: bj('2026-11-28T09:20') };
      await acceptDocument(f, accepted('incident-report', bj('2026-11-28T10:00'), { id: 'op-cmcc-a', body: figures })); // on time
      await acceptDocument(f, accepted('incident-report', bj('2026-11-28T11:50'), { id: 'op-cmcc-b', body: figures })); // 30 min late
      await acceptDocument(f, accepted('incident-report', bj('2026-11-28T10:01'), { id: 'op-cucc-a', from: 'op-cucc', body: { ...figures, level: 'III' } })); // under-graded
    } finally {
      await ds.destroy();
    }
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.MMGW_DATABASE_URL;
    else process.env.MMGW_DATABASE_URL = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints the month\'s report as JSON, one entry per unit', async () => {
    const r = await runCli('compliance', '--period', '2026-11', '--as-of', '2026-12-01T00:00:00Z');
    expect([r.code, r.stderr]).toEqual([0, '']);
    const report = JSON.parse(r.stdout) as { period: string; units: Array<{ unit: string; metOnTime: number; metLate: number; maxLateMinutes: number; underGraded: number }> };
    expect(report.period).toBe('2026-11');
    expect(report.units.map((u) => [u.unit, u.metOnTime, u.metLate, u.maxLateMinutes, u.underGraded])).toEqual([['op-cmcc', 1, 1, 30, 0], ['op-cucc', 1, 0, 0, 1]]);
  });

  it('--unit keeps one unit; --format xlsx --out writes a workbook that reads back', async () => {
    const out = path.join(dir, 'compliance.xlsx');
    const r = await runCli('compliance', '--period', '2026-11', '--unit', 'op-cucc', '--format', 'xlsx', '--out', out);
    expect([r.code, r.stdout]).toEqual([0, `wrote ${out}: 1 unit(s), period 2026-11\n`]);
    const wb = new Workbook();
    await wb.xlsx.readFile(out);
    const row = wb.getWorksheet('合规情况')?.getRow(2).values as unknown[];
    expect([row[1], row[2], row[9]]).toEqual(['op-cucc', 1, 1]);
  });

  it('--help says it reads every unit\'s record with no access rule, unlike GET /v1/compliance', async () => {
    const help = await runCli('compliance', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('whoever runs it operates the gateway and applies no access rule (GET /v1/compliance does: miit and cncert read every unit, any other institution its own)');
  });

  it('a bad period exits 2 naming it; xlsx without --out and an unknown format exit 2', async () => {
    const bad = await runCli('compliance', '--period', '2026-1');
    expect([bad.code, bad.stdout]).toEqual([2, '']);
    expect(bad.stderr).toContain('period "2026-1" is not a month written YYYY-MM');
    expect(bad.stderr).toContain('[compliance.bad-period]');
    expect((await runCli('compliance', '--period', '2026-11', '--format', 'xlsx')).code).toBe(2);
    const csv = await runCli('compliance', '--period', '2026-11', '--format', 'csv');
    expect([csv.code, csv.stderr]).toEqual([2, expect.stringContaining('[compliance.bad-format]')]);
  });

  it('a unit that is not a code, or that the registry does not know, exits 2 naming it, as GET /v1/compliance refuses it', async () => {
    const unknown = await runCli('compliance', '--period', '2026-11', '--unit', 'op-nobody');
    expect([unknown.code, unknown.stdout]).toEqual([2, '']);
    expect(unknown.stderr).toContain('unit "op-nobody" is not an institution of the registry');
    expect(unknown.stderr).toContain('[compliance.unknown-unit]');
    const bad = await runCli('compliance', '--period', '2026-11', '--unit', 'OP CMCC');
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('[compliance.bad-unit]')]);
  });
});
