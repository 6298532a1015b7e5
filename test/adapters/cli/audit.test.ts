import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { appendAudit } from '../../../gateway/audit';
import { migrate, openStore, transaction } from '../../../gateway/store';
import { migrations } from '../../../migrations';
import { runCli } from '../../support/capture-io';

// `mmgw audit verify`: exit 0 when the chain verifies, 1 naming the first broken seq and why.
describe('mmgw audit verify', () => {
  const saved = process.env.MMGW_DATABASE_URL;
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-cli-audit-'));
    file = path.join(dir, 'mmgw.sqlite');
    process.env.MMGW_DATABASE_URL = `sqlite:${file}`;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.MMGW_DATABASE_URL;
    else process.env.MMGW_DATABASE_URL = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function withStore(work: (ds: Awaited<ReturnType<typeof openStore>>) => Promise<void>): Promise<void> {
    const ds = await openStore(`sqlite:${file}`, { migrations });
    try {
      await work(ds);
    } finally {
      await ds.destroy();
    }
  }
  const seed = () => withStore(async (ds) => {
    await migrate(ds);
    for (let i = 1; i <= 4; i += 1) {
      await transaction(ds, (m) => appendAudit(m, { kind: 'accept', actor: 'cncert', subject: `msg-${i}`, details: { i } }, new Date(Date.UTC(2026, 2, 1, 8, 0, i))));
    }
  });

  it('exits 0 and prints the head when the chain verifies', async () => {
    await seed();
    const r = await runCli('audit', 'verify');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^audit chain verifies: 4 entries, head 4:[0-9a-f]{64}\n$/);
  });

  it('exits 1 naming the first edited entry', async () => {
    await seed();
    await withStore(async (ds) => { await ds.query('UPDATE audit_entries SET subject = ? WHERE seq = 2', ['msg-forged']); });
    const r = await runCli('audit', 'verify');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/audit chain BROKEN at seq 2: its content does not match its hash: it was edited \[audit\.chain-broken\]/);
  });

  it('exits 1 naming a deleted entry', async () => {
    await seed();
    await withStore(async (ds) => { await ds.query('DELETE FROM audit_entries WHERE seq = 3'); });
    const r = await runCli('audit', 'verify');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/BROKEN at seq 3: seq 3 is missing \(deleted\)/);
  });

  it('checks an anchor given with --anchor, and refuses a malformed one', async () => {
    await seed();
    const head = /head (\d+:[0-9a-f]{64})/.exec((await runCli('audit', 'verify')).stdout)?.[1] ?? '';
    expect((await runCli('audit', 'verify', '--anchor', head)).code).toBe(0);
    const wrong = `${head.split(':')[0]}:${'f'.repeat(64)}`;
    const r = await runCli('audit', 'verify', '--anchor', wrong);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/BROKEN at seq 4: its hash differs from the anchor/);
    const bad = await runCli('audit', 'verify', '--anchor', 'latest');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--anchor must be SEQ:HASH.*\[usage\.invalid-argument\]/);
  });

  it('exits 3 on a database that was never migrated', async () => {
    const r = await runCli('audit', 'verify');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/run `mmgw migrate` first \[store\.not-migrated\]/);
  });
});
