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
 * cookie, else `fallback` (the configured default, MMGW_CONSOLE_LANGUAGE: Chinese unless set).
 */
export function langOf(req: Request, res: Response, cookies: Readonly<Record<string, string>>, fallback: Lang = 'zh'): Lang {
  const asked = typeof req.query.lang === 'string' ? req.query.lang : undefined;
  if (asked === 'zh' || asked === 'en') {
    res.append('Set-Cookie', `${LANG_COOKIE}=${asked}; Path=/console; SameSite=Strict; Max-Age=31536000`);
    return asked;
  }
  const kept = cookies[LANG_COOKIE];
  return kept === 'en' || kept === 'zh' ? kept : fallback;
}

/** Picks the text of `lang`. */
export const pick = (lang: Lang, text: Text): string => text[lang];
