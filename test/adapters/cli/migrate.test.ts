import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../support/capture-io';

// `mmgw migrate` (and `npm run migrate`, which runs it): the database comes from MMGW_DATABASE_URL.
describe('mmgw migrate', () => {
  const saved = process.env.MMGW_DATABASE_URL;
  const cwd = process.cwd();
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-cli-migrate-'));
  });
  afterEach(() => {
    process.chdir(cwd);
    if (saved === undefined) delete process.env.MMGW_DATABASE_URL;
    else process.env.MMGW_DATABASE_URL = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('applies the migrations once; a second run does nothing', async () => {
    process.env.MMGW_DATABASE_URL = `sqlite:${path.join(dir, 'db', 'mmgw.sqlite')}`;
    const first = await runCli('migrate');
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain('applied InitialSchema1764380000000');
    const second = await runCli('migrate');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/schema up to date \(\d+ migration\(s\)\), nothing to do/);
    expect(second.stdout).not.toContain('applied');
  });

  it('uses ./data/mmgw.sqlite when MMGW_DATABASE_URL is absent, creating ./data', async () => {
    delete process.env.MMGW_DATABASE_URL;
    process.chdir(dir);
    const r = await runCli('migrate');
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'data', 'mmgw.sqlite'))).toBe(true);
  });

  it('exits 2 on a bad MMGW_DATABASE_URL, saying what is wrong', async () => {
    process.env.MMGW_DATABASE_URL = 'postgres://me@db/mmgw';
    const r = await runCli('migrate');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/MMGW_DATABASE_URL has the unsupported scheme "postgres:".*\[store\.bad-database-url\]/);
  });

  it('exits 3 when the database cannot be reached', async () => {
    process.env.MMGW_DATABASE_URL = 'mysql://root@127.0.0.1:1/mmgw';
    const r = await runCli('migrate');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot open the MySQL database mmgw on 127\.0\.0\.1.*\[store\.unreachable\]/);
  });
});
