import { GatewayError } from '../../../contracts/errors/gateway-error';
import { parseDatabaseUrl } from '../../../gateway/store';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore } from '../../../gateway/store';

function failure(value: string): GatewayError {
  try {
    parseDatabaseUrl(value);
  } catch (e) {
    if (e instanceof GatewayError) return e;
    throw e;
  }
  throw new Error(`${value} was accepted`);
}

describe('MMGW_DATABASE_URL', () => {
  it('defaults to the SQLite file ./data/mmgw.sqlite when absent or empty', () => {
    expect(parseDatabaseUrl(undefined)).toEqual({ kind: 'sqlite', path: path.join('data', 'mmgw.sqlite') });
    expect(parseDatabaseUrl('  ')).toEqual({ kind: 'sqlite', path: path.join('data', 'mmgw.sqlite') });
  });

  it('accepts sqlite:PATH', () => {
    expect(parseDatabaseUrl('sqlite:/var/lib/mmgw/db.sqlite')).toEqual({ kind: 'sqlite', path: '/var/lib/mmgw/db.sqlite' });
    expect(parseDatabaseUrl('sqlite:./x.sqlite')).toEqual({ kind: 'sqlite', path: './x.sqlite' });
  });

  it('accepts mysql:// and mariadb:// URLs naming one database', () => {
    expect(parseDatabaseUrl('mysql://mmgw:s3cret@db.example:3307/mmgw')).toMatchObject({ kind: 'mysql', host: 'db.example', database: 'mmgw' });
    expect(parseDatabaseUrl('mariadb://root@127.0.0.1/test')).toMatchObject({ kind: 'mysql', url: 'mysql://root@127.0.0.1/test' });
  });

  it.each([
    ['postgres://u@h/db', /unsupported scheme "postgres:"/],
    ['localhost:3306', /unsupported scheme "localhost:"/],
    ['just-a-name', /has no scheme/],
    ['mysql://root@127.0.0.1', /must name exactly one database/],
    ['mysql://root@127.0.0.1/a/b', /must name exactly one database/],
    ['mysql:///test', /has no host/],
    ['sqlite:', /without a file path/],
    ['sqlite::memory:', /in-memory/],
  ])('refuses %s, naming the variable and the rule', (value, why) => {
    const e = failure(value);
    expect(e.code).toBe('store.bad-database-url');
    expect(e.message).toMatch(/^MMGW_DATABASE_URL /);
    expect(e.message).toMatch(why);
  });

  it('never repeats the password of a refused URL', () => {
    expect(failure('mysql://root:hunter2@127.0.0.1').message).not.toContain('hunter2');
  });

  it('creates the folder of the SQLite file when opening the store', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-url-'));
    const ds = await openStore(`sqlite:${path.join(dir, 'a', 'b', 'mmgw.sqlite')}`);
    await ds.destroy();
    expect(fs.existsSync(path.join(dir, 'a', 'b', 'mmgw.sqlite'))).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports an unreachable MySQL server as store.unreachable', async () => {
    await expect(openStore('mysql://root@127.0.0.1:1/nothing')).rejects.toMatchObject({ code: 'store.unreachable' });
  });
});
