import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { Page } from 'playwright-core';
import { ObligationEntity } from '../../../../gateway/obligations';
import { PaperOriginalEntity } from '../../../../gateway/emergency';
import { chromiumPresent, launchChromium, type HeadlessChromium } from './chromium';
import { ACCOUNTS, openConsoleWorld, type ConsoleWorld } from './world';

// Issue 8 "Done when": "log a phone call and see written-followup open, register the paper
// original and see it close" — in Debian's headless Chromium, screenshots of each page.
const present = chromiumPresent(__filename);

jest.setTimeout(180_000);

/** A small, well-formed one-page PDF (objects, xref table with true offsets, trailer), generated here. */
function smallPdf(text: string): Buffer {
  const stream = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((n) => `${String(n).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A Beijing datetime-local value `minutes` from now. */
const bj = (minutes = 0) => new Date(Date.now() + minutes * 60_000 + 8 * 3600_000).toISOString().slice(0, 16);

describe('Art. 15 in headless Chromium: phone call logged, paper original registered', () => {
  let w: ConsoleWorld;
  let browser: HeadlessChromium;
  let page: Page;

  beforeAll(async () => {
    if (!present) return;
    w = await openConsoleWorld();
    browser = await launchChromium();
    page = browser.page;
  });
  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  const go = (p: string) => page.goto(`${w.url}${p}`);

  it('a clerk logs a call, sees written-followup open, registers the paper original (PDF) and sees it close; the scan downloads byte for byte', async () => {
    if (!present) return;
    await browser.context.clearCookies();
    await go('/console/login');
    await page.fill('#username', ACCOUNTS.clerk.username);
    await page.fill('#password', ACCOUNTS.clerk.password);
    await page.click('#sign-in');
    await page.waitForURL(/\/console\/registry$/);

    await page.click('header nav a[href="/console/art15"]');
    expect(await page.textContent('h1')).toBe('电话先行登记');
    await page.fill('#callerName', '李强');
    await page.fill('#callerPhone', '010-66006688');
    await page.selectOption('#institution', 'op-cmcc');
    await page.fill('#calledAt', bj(-15));
    await page.fill('#summary', '中国移动电话报告：发现 GhostPush 控制服务器两处，已封堵，书面报告随后补报。');
    await page.selectOption('#level', 'II');
    await browser.shot('art15-phone-log');
    await page.click('#log-call');
    await page.waitForSelector('#logged');
    const messageId = (await page.textContent('#message-id'))!;
    expect(await page.getAttribute('#followup', 'data-state')).toBe('open');
    expect(await page.textContent('#followup-state')).toBe('待补书面材料');
    expect(await page.textContent('#followup-due')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
    await browser.shot('art15-notice-open');

    // The obligations page lists it too (its due time may lie beyond the default 48 h window over a weekend).
    await go('/console/obligations?unit=op-cmcc&hours=720');
    expect(await page.locator('#obligations tbody tr', { hasText: 'written-followup' }).count()).toBe(1);
    await browser.shot('art15-obligations-open');
    // The message trace of the notice, linked from its page.
    await go(`/console/art15/notice?id=${encodeURIComponent(messageId)}`);
    await page.click('#trace-link');
    expect(await page.textContent('h1')).toContain(messageId);
    await browser.shot('art15-trace');

    await go(`/console/art15/notice?id=${encodeURIComponent(messageId)}`);
    const pdf = smallPdf('Paper original of the phone report');
    await page.fill('#documentNumber', '移动〔2026〕117号');
    await page.fill('#receivedAt', bj(-1));
    await page.setInputFiles('#scan', { name: '书面报告.pdf', mimeType: 'application/pdf', buffer: pdf });
    await browser.shot('art15-paper-form');
    await page.click('#register-paper');
    await page.waitForSelector('#registered');
    expect(await page.getAttribute('#followup', 'data-state')).toBe('met');
    expect(await page.textContent('#followup-state')).toBe('已按时补交');
    expect(await page.textContent('#paper')).toContain(createHash('sha256').update(pdf).digest('hex'));
    await browser.shot('art15-notice-closed');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#scan-download')]);
    expect(download.suggestedFilename()).toBe('书面报告.pdf');
    expect(fs.readFileSync((await download.path())!).equals(pdf)).toBe(true);

    await go('/console/art15');
    expect(await page.getAttribute(`#notices tr[data-message="${messageId}"]`, 'data-standing')).toBe('met');
    await browser.shot('art15-list');
    await go('/console/art15?lang=en');
    expect(await page.textContent('h1')).toBe('Phone log (Art. 15)');
    await browser.shot('art15-list-en');
    await go('/console/art15?lang=zh');

    const m = w.gateway.dataSource.manager;
    expect(await m.findOneByOrFail(ObligationEntity, { obligation: 'written-followup', openedBy: messageId })).toMatchObject({ state: 'met', closedBy: 'paper:移动〔2026〕117号' });
    expect((await m.findOneByOrFail(PaperOriginalEntity, { noticeId: messageId })).bytes.equals(pdf)).toBe(true);
  });
});
