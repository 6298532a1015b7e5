import type { Request, Response } from 'express';

/** The console's languages: Chinese first, English on request. */
export type Lang = 'zh' | 'en';

/** A text in both languages. */
export interface Text {
  readonly zh: string;
  readonly en: string;
}

const LANG_COOKIE = 'mmgw_lang';

/**
 * The language of a request: `?lang=en|zh` switches (and is remembered in a cookie), else the
 * cookie, else Chinese.
 */
export function langOf(req: Request, res: Response, cookies: Readonly<Record<string, string>>): Lang {
  const asked = typeof req.query.lang === 'string' ? req.query.lang : undefined;
  if (asked === 'zh' || asked === 'en') {
    res.append('Set-Cookie', `${LANG_COOKIE}=${asked}; Path=/console; SameSite=Strict; Max-Age=31536000`);
    return asked;
  }
  return cookies[LANG_COOKIE] === 'en' ? 'en' : 'zh';
}

/** Picks the text of `lang`. */
export const pick = (lang: Lang, text: Text): string => text[lang];
