import { findAccount } from '../../../../adapters/http/console';
import { verifyAuditChain } from '../../../../gateway/audit';
import { AuditEntryEntity } from '../../../../gateway/store';
import { ACCOUNTS, Browserless, openConsoleWorld, type ConsoleWorld } from './world';

jest.setTimeout(120_000);

// Issue 8: beyond the per-account lock-out, failed sign-ins are limited per client address, so
// one address cannot guess its way through many accounts (each one short of its lock-out).
describe('console sign-in: the per-address limit', () => {
  let w: ConsoleWorld;
  beforeAll(async () => { w = await openConsoleWorld({ maxFailedSignInsPerAddress: 3, addressWindowMinutes: 10 }); });
  afterAll(async () => w.close());

  it('after 3 failures from one address (any accounts) refuses every sign-in from it with 429, Retry-After and a clear message — even the right password —, audited, the accounts untouched', async () => {
    const b = new Browserless(w.url);
    await b.get('/console/login?lang=en');
    const firstFailure = Date.now();
    expect((await b.signIn(ACCOUNTS.admin.username, 'not the password')).status).toBe(401);
    expect((await b.signIn(ACCOUNTS.cmcc.username, 'not the password')).status).toBe(401);
    expect((await b.signIn('nobody-here', 'not the password')).status).toBe(401);
    const before = await findAccount(w.gateway.dataSource, ACCOUNTS.cucc.username);

    const refused = await b.signIn(ACCOUNTS.cucc.username, ACCOUNTS.cucc.password);
    expect(refused.status).toBe(429);
    const retry = Number(refused.headers['retry-after']);
    // Until the first failure leaves the 10-minute window: 600 s less the time this test took so far (no speed assumed).
    expect(retry).toBeGreaterThanOrEqual(10 * 60 - Math.ceil((Date.now() - firstFailure) / 1000));
    expect(retry).toBeLessThanOrEqual(10 * 60);
    expect(refused.body).toMatch(/Too many failed sign-ins from this address \(3 within 10 minutes\): every sign-in from it is refused until \d{4}-\d\d-\d\d \d\d:\d\d/);
    expect(b.cookie('mmgw_console')).toBeDefined();
    // Not signed in: the registry sends it back to the sign-in page.
    expect((await b.get('/console/registry')).status).toBe(303);
    // The client-certificate sign-in is refused from that address too.
    const cert = await b.post('/console/login/certificate', { _csrf: Browserless.csrf(await b.get('/console/login')) });
    expect(cert.status).toBe(429);

    // The refusal checked no password: the account's count is as it was (no failure added, no lock).
    expect(await findAccount(w.gateway.dataSource, ACCOUNTS.cucc.username)).toEqual(before);
    expect((await findAccount(w.gateway.dataSource, ACCOUNTS.admin.username))!.failedCount).toBe(1);
    expect((await findAccount(w.gateway.dataSource, ACCOUNTS.admin.username))!.lockedUntil).toBeNull();

    const audit = await w.gateway.dataSource.manager.find(AuditEntryEntity, { where: { kind: 'console' }, order: { seq: 'ASC' } });
    const throttled = audit.map((a): Record<string, unknown> => ({ actor: a.actor, ...(JSON.parse(a.details) as Record<string, unknown>) })).filter((d) => d.action === 'sign-in-throttled');
    expect(throttled).toEqual([
      { actor: ACCOUNTS.cucc.username, action: 'sign-in-throttled', code: 'console.too-many-sign-ins', address: expect.stringMatching(/127\.0\.0\.1$/), failures: 3, until: expect.any(String) },
      { actor: 'anonymous', action: 'sign-in-throttled', code: 'console.too-many-sign-ins', address: expect.stringMatching(/127\.0\.0\.1$/), failures: 3, until: expect.any(String) },
    ]);
    const failed = audit.map((a) => JSON.parse(a.details) as Record<string, unknown>).filter((d) => d.action === 'sign-in-failed');
    expect(failed.map((d) => d.address)).toEqual([expect.stringMatching(/127\.0\.0\.1$/), expect.stringMatching(/127\.0\.0\.1$/), expect.stringMatching(/127\.0\.0\.1$/)]);
    expect((await verifyAuditChain(w.gateway.dataSource)).ok).toBe(true);
  });

  it('says it in Chinese by default', async () => {
    const b = new Browserless(w.url);
    const r = await b.signIn(ACCOUNTS.admin.username, ACCOUNTS.admin.password);
    expect(r.status).toBe(429);
    expect(r.body).toContain('来自此地址的登录失败次数过多（10 分钟内 3 次）');
  });
});
