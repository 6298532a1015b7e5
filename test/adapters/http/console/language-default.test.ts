import type { Request, Response } from 'express';
import { langOf } from '../../../../adapters/http/console/i18n';

function ask(query: Record<string, string>): { req: Request; res: Response; set: string[] } {
  const set: string[] = [];
  const res = { append: (_name: string, value: string) => { set.push(value); } } as unknown as Response;
  return { req: { query } as unknown as Request, res, set };
}

// MMGW_CONSOLE_LANGUAGE: the language of a browser that has not chosen one; a choice (?lang=, its cookie) wins.
describe('the console language default', () => {
  it('is Chinese unless configured; the configured one applies only when the browser chose none', () => {
    const none = ask({});
    expect(langOf(none.req, none.res, {})).toBe('zh');
    expect(langOf(none.req, none.res, {}, 'en')).toBe('en');
    expect(langOf(none.req, none.res, { mmgw_lang: 'zh' }, 'en')).toBe('zh');
    expect(langOf(none.req, none.res, { mmgw_lang: 'en' }, 'zh')).toBe('en');
    expect(langOf(none.req, none.res, { mmgw_lang: 'fr' }, 'en')).toBe('en');
    const chosen = ask({ lang: 'zh' });
    expect(langOf(chosen.req, chosen.res, { mmgw_lang: 'en' }, 'en')).toBe('zh');
    expect(chosen.set).toEqual(['mmgw_lang=zh; Path=/console; SameSite=Strict; Max-Age=31536000']);
  });
});
