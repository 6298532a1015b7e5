import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkSignIn, findAccount } from '../../../../adapters/http/console';
import { createConsoleUserCommand } from '../../../../adapters/cli/commands/console-user';
import { migrate, openStore } from '../../../../gateway/store';
import { seedRegistry } from '../../../../gateway/registry';
import { migrations } from '../../../../migrations';
import { runModule } from '../../cli/gateway-world';

jest.setTimeout(60_000);

describe('mmgw console-user add|passwd|list', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-console-user-'));
    env = { MMGW_DATABASE_URL: `sqlite:${path.join(dir, 'mmgw.sqlite')}` };
    const ds = await openStore(env.MMGW_DATABASE_URL, { migrations });
    await migrate(ds);
    await seedRegistry(ds, new Date());
    await ds.destroy();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const withPassword = (pw: string) => createConsoleUserCommand(env, async () => pw);
  const store = async <T>(work: (ds: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> => {
    const ds = await openStore(env.MMGW_DATABASE_URL, { migrations });
    try {
      return await work(ds);
    } finally {
      await ds.destroy();
    }
  };

  it('adds an account whose password (never on the command line) is stored as a salted scrypt hash', async () => {
    const r = await runModule(withPassword('a long enough secret'), 'console-user', 'add', 'cmcc-admin', '--role', 'institution-admin', '--institution', 'op-cmcc');
    expect(r).toMatchObject({ code: 0, stdout: 'added cmcc-admin (institution-admin, op-cmcc)\n' });
    const row = await store(async (ds) => (await ds.query('SELECT password_hash FROM console_users WHERE username = ?', ['cmcc-admin'])) as { password_hash: string }[]);
    expect(row[0]!.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{88}$/);
    expect(row[0]!.password_hash).not.toContain('a long enough secret');
    await runModule(withPassword('a long enough secret'), 'console-user', 'add', 'other', '--role', 'auditor');
    const salts = await store(async (ds) => ((await ds.query('SELECT password_hash FROM console_users')) as { password_hash: string }[]).map((x) => x.password_hash.split('$')[4]));
    expect(new Set(salts).size).toBe(2);
  });

  it('refuses an unknown role, an institution administrator without an institution, an unknown institution, a short password and a taken name', async () => {
    const bad = await runModule(withPassword('a long enough secret'), 'console-user', 'add', 'x1', '--role', 'root');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('role "root" is not one of gateway-admin, institution-admin, clerk, auditor');
    const noInst = await runModule(withPassword('a long enough secret'), 'console-user', 'add', 'x2', '--role', 'institution-admin');
    expect(noInst.stderr).toContain('needs --institution');
    const unknown = await runModule(withPassword('a long enough secret'), 'console-user', 'add', 'x3', '--role', 'institution-admin', '--institution', 'op-nowhere');
    expect(unknown.stderr).toContain('"op-nowhere" is not in the registry');
    const short = await runModule(withPassword('short'), 'console-user', 'add', 'x4', '--role', 'clerk');
    expect(short).toMatchObject({ code: 1 });
    expect(short.stderr).toContain('at least 10 characters');
    const taken = await runModule(withPassword('a long enough secret'), 'console-user', 'add', 'cmcc-admin', '--role', 'clerk');
    expect(taken.stderr).toContain('exists already');
    expect(await store((ds) => findAccount(ds, 'x4'))).toBeUndefined();
  });

  it('passwd sets a new password and unlocks a locked account; list shows the lock', async () => {
    await store(async (ds) => {
      for (let i = 0; i < 5; i++) await checkSignIn(ds, 'cmcc-admin', 'wrong', new Date(), { maxFailed: 5, lockoutMinutes: 15 });
    });
    const listed = await runModule(withPassword(''), 'console-user', 'list');
    expect(listed.stdout).toMatch(/^cmcc-admin\tinstitution-admin\top-cmcc\t\tfailed 5, locked until \d{4}-\d\d-\d\dT/m);
    const r = await runModule(withPassword('a brand new secret'), 'console-user', 'passwd', 'cmcc-admin');
    expect(r).toMatchObject({ code: 0, stdout: 'password of cmcc-admin changed; the account is unlocked\n' });
    const check = await store((ds) => checkSignIn(ds, 'cmcc-admin', 'a brand new secret', new Date(), { maxFailed: 5, lockoutMinutes: 15 }));
    expect(check.ok).toBe(true);
    const nobody = await runModule(withPassword('a brand new secret'), 'console-user', 'passwd', 'nobody');
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('no console account "nobody"');
  });
});
