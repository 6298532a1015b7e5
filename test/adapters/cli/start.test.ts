import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createStartCommand } from '../../../adapters/cli/commands/start';
import { runModule } from './gateway-world';

jest.setTimeout(60_000);

describe('mmgw start: every setting checked at start, with a clear message', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-start-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a bad configuration exits 2 naming every variable, and creates nothing', async () => {
    const env = { MMGW_DATA_DIR: path.join(dir, 'data'), MMGW_LISTEN: 'everywhere', MMGW_MAX_BODY_BYTES: 'lots', MMGW_TLS_CERT: path.join(dir, 'missing.pem') };
    const r = await runModule(createStartCommand(env), 'start');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the gateway configuration has 3 problems/);
    for (const v of ['MMGW_LISTEN must be HOST:PORT', 'MMGW_MAX_BODY_BYTES must be a whole number', 'MMGW_TLS_CERT names the file']) expect(r.stderr).toContain(v);
    expect(r.stderr).toContain('[config.invalid]');
    expect(fs.existsSync(path.join(dir, 'data'))).toBe(false);
  });

  it('an unreachable database exits 3 without echoing its password', async () => {
    const env = { MMGW_DATA_DIR: path.join(dir, 'data'), MMGW_DATABASE_URL: 'mysql://mmgw:s3cret-pw@127.0.0.1:1/mmgw', MMGW_LISTEN: '127.0.0.1:0' };
    const r = await runModule(createStartCommand(env), 'start');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot open the MySQL database mmgw on 127\.0\.0\.1.*\[store\.unreachable\]/s);
    expect(r.stderr).not.toContain('s3cret-pw');
  });

  it('a bad MMGW_AMQP_URL exits 2 without echoing its password', async () => {
    const r = await runModule(createStartCommand({ MMGW_DATA_DIR: path.join(dir, 'data'), MMGW_AMQP_URL: 'http://guest:hunter2@broker' }), 'start');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('MMGW_AMQP_URL');
    expect(r.stderr).not.toContain('hunter2');
  });
});
