import type { BrowserContext, Page } from 'playwright-core';
import { contactsOf, historyOf } from '../../../../gateway/contacts';
import { DeliveryEntity } from '../../../../gateway/store';
import { chromiumPresent, launchChromium, type HeadlessChromium } from './chromium';
import { ACCOUNTS, openConsoleWorld, type ConsoleWorld } from './world';

const present = chromiumPresent(__filename);

jest.setTimeout(180_000);

describe('console in headless Chromium', () => {
  let w: ConsoleWorld;
  let browser: HeadlessChromium;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    if (!present) return;
    w = await openConsoleWorld();
    browser = await launchChromium();
    ({ context, page } = browser);
  });
  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  const shot = (name: string) => browser.shot(name);
  const go = (p: string) => page.goto(`${w.url}${p}`);

  async function signIn(username: string, password: string): Promise<void> {
    await context.clearCookies();
    await go('/console/login');
    await page.fill('#username', username);
    await page.fill('#password', password);
    await page.click('#sign-in');
  }

  it('signs in and shows the registry, Chinese first with an English switch', async () => {
    if (!present) return;
    await go('/console/registry');
    expect(page.url()).toBe(`${w.url}/console/login`);
    await shot('sign-in');
    await signIn(ACCOUNTS.cmcc.username, ACCOUNTS.cmcc.password);
    await page.waitForURL(`${w.url}/console/registry`);
    expect(await page.textContent('h1')).toBe('联系人名录');
    expect(await page.locator('#institutions tbody tr').count()).toBe(1); // its own institution only
    await shot('registry-institution-admin');
    await page.click('a.lang');
    expect(await page.textContent('h1')).toBe('Registry');
    await page.click('a.lang');
  });

  it('edits a contact: the change is routed to miit and cncert and its contact-change obligation met', async () => {
    if (!present) return;
    await signIn(ACCOUNTS.cmcc.username, ACCOUNTS.cmcc.password);
    await go('/console/contacts/edit?institution=op-cmcc');
    await page.fill('input[name="unit"]', '中国移动通信集团有限公司');
    await page.fill('input[name="leader.name"]', '王建国');
    await page.fill('input[name="leader.phone"]', '010-66006600');
    await page.fill('input[name="leader.email"]', 'wangjg@chinamobile.example.cn');
    await page.fill('input[name="head.name"]', '刘洋');
    await page.fill('input[name="head.phone"]', '010-66006611');
    await page.fill('input[name="head.email"]', 'liuyang@chinamobile.example.cn');
    await page.fill('input[name="contact0.name"]', '李强');
    await page.fill('input[name="contact0.phone"]', '010-66006688');
    await page.fill('input[name="contact0.email"]', 'security@chinamobile.example.cn');
    await shot('contact-edit');
    await page.click('#save');
    await page.waitForSelector('#saved');
    expect(await page.locator('#obligations tr[data-state="met"]').count()).toBe(1);
    await shot('unit-after-edit');
    const messageId = new URL(page.url()).searchParams.get('saved')!;
    // Routing runs on the bus after the commit: wait (with a deadline) for both deliveries, then read the trace page.
    const deadline = Date.now() + 15_000;
    while ((await w.gateway.dataSource.manager.count(DeliveryEntity, { where: { messageId } })) < 2) {
      if (Date.now() > deadline) throw new Error('the ContactUpdate was not routed to miit and cncert within 15 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    await page.click('#saved a');
    expect(await page.locator('#deliveries tr[data-recipient="miit"]').count()).toBe(1);
    expect(await page.locator('#deliveries tr[data-recipient="cncert"]').count()).toBe(1);
    expect(await page.locator('g.lane').count()).toBe(2);
    await shot('trace');
    expect((await contactsOf(w.gateway.dataSource, 'op-cmcc'))?.contacts[0]?.name).toBe('李强');
  });

  it('lets an institution administrator not touch another institution: 403, nothing changed', async () => {
    if (!present) return;
    await signIn(ACCOUNTS.cmcc.username, ACCOUNTS.cmcc.password);
    const r = await go('/console/contacts/edit?institution=op-cucc');
    expect(r?.status()).toBe(403);
    expect(await page.textContent('.error')).toContain('op-cucc');
    await shot('forbidden-other-institution');
    // The form of its own institution, re-aimed at another one in the page, is refused too.
    await go('/console/contacts/edit?institution=op-cmcc');
    await page.$eval('input[name="institution"]', (el) => ((el as HTMLInputElement).value = 'op-cucc'));
    const [post] = await Promise.all([page.waitForResponse((res) => res.request().method() === 'POST'), page.click('#save')]);
    expect(post.status()).toBe(403);
    expect(await contactsOf(w.gateway.dataSource, 'op-cucc')).toBeNull();
  });

  it('refuses a forged CSRF token with a clear message and changes nothing', async () => {
    if (!present) return;
    await signIn(ACCOUNTS.cmcc.username, ACCOUNTS.cmcc.password);
    const before = (await historyOf(w.gateway.dataSource, 'op-cmcc')).length;
    await go('/console/contacts/edit?institution=op-cmcc');
    await page.fill('input[name="leader.name"]', '赵六');
    await page.$eval('#contact-form input[name="_csrf"]', (el) => ((el as HTMLInputElement).value = 'forged-by-another-site'));
    const [post] = await Promise.all([page.waitForResponse((res) => res.request().method() === 'POST'), page.click('#save')]);
    expect(post.status()).toBe(403);
    expect(await page.textContent('.error')).toContain('未做任何更改');
    await shot('csrf-refused');
    expect((await historyOf(w.gateway.dataSource, 'op-cmcc')).length).toBe(before);
    expect((await contactsOf(w.gateway.dataSource, 'op-cmcc'))?.leaderInCharge.name).toBe('王建国');
  });

  it('locks an account out after five wrong passwords, with a clear message', async () => {
    if (!present) return;
    for (let i = 1; i <= 5; i++) await signIn(ACCOUNTS.auditor.username, `wrong password ${i}`);
    expect(await page.textContent('.error')).toContain('锁定');
    await shot('locked-out');
    await signIn(ACCOUNTS.auditor.username, ACCOUNTS.auditor.password);
    expect(page.url()).toBe(`${w.url}/console/login`);
    expect(await page.textContent('.error')).toContain('锁定');
  });

  it('shows every page to the gateway administrator (screenshots)', async () => {
    if (!present) return;
    await signIn(ACCOUNTS.admin.username, ACCOUNTS.admin.password);
    await page.waitForURL(`${w.url}/console/registry`);
    for (const [name, p] of [
      ['registry', '/console/registry'], ['unit', '/console/registry/unit?code=op-cmcc'], ['obligations', '/console/obligations'],
      ['messages', '/console/trace'], ['cases', '/console/cases'], ['compliance', '/console/compliance'], ['compliance-en', '/console/compliance?lang=en'],
    ] as const) {
      const r = await go(p);
      expect([name, r?.status()]).toEqual([name, 200]);
      await shot(name);
    }
    await page.goto(`${w.url}/console/registry?lang=zh`);
  });
});
