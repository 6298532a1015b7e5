import { html, raw, type Raw } from './html';
import { pick, type Lang, type Text } from './i18n';
import { ROLE_LABELS } from './roles';
import type { SessionUser } from './sessions';

/** A navigation entry. */
export interface NavItem {
  readonly path: string;
  readonly title: Text;
}

/** What the layout shows around a page. */
export interface LayoutInput {
  readonly lang: Lang;
  readonly title: Text;
  readonly body: Raw;
  /** The request's path and query, for the language switch. */
  readonly url: string;
  readonly user?: SessionUser | null;
  readonly nav?: readonly NavItem[];
  /** The current page path (marked in the navigation). */
  readonly current?: string;
  readonly csrf?: string;
}

const UI = {
  brand: { zh: '移动恶意程序监测处置网关 · 管理控制台', en: 'mmgw · administrators\' console' },
  signOut: { zh: '退出', en: 'Sign out' },
  other: { zh: 'English', en: '中文' },
} as const;

function switchUrl(url: string, lang: Lang): string {
  const u = new URL(url, 'https://console.invalid');
  u.searchParams.set('lang', lang === 'zh' ? 'en' : 'zh');
  return `${u.pathname}${u.search}`;
}

/** The whole HTML document of a console page: header with navigation, language switch, the user and sign-out; no script. */
export function layout(p: LayoutInput): string {
  const t = (x: Text) => pick(p.lang, x);
  const nav = (p.nav ?? []).map((n) => html`<a href="/console${n.path}"${raw(n.path === p.current ? ' aria-current="page"' : '')}>${t(n.title)}</a>`);
  const who = p.user
    ? html`<span class="user">${p.user.username} · ${t(ROLE_LABELS[p.user.role])}${p.user.institution ? ` · ${p.user.institution}` : ''}</span>
      <form method="post" action="/console/logout" class="inline"><input type="hidden" name="_csrf" value="${p.csrf ?? ''}"><button type="submit">${t(UI.signOut)}</button></form>`
    : '';
  return `<!doctype html>\n${html`<html lang="${p.lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t(p.title)} · mmgw</title><link rel="stylesheet" href="/console/assets/console.css"></head>
<body><header><strong>${t(UI.brand)}</strong><nav>${nav}</nav><span class="right">${who}<a class="lang" href="${switchUrl(p.url, p.lang)}">${t(UI.other)}</a></span></header>
<main><h1>${t(p.title)}</h1>${p.body}</main></body></html>`.html}`;
}

/** The console's style sheet (served as /console/assets/console.css; the CSP allows no inline style). */
export const CONSOLE_CSS = `
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",system-ui,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
header{display:flex;flex-wrap:wrap;gap:1em;align-items:center;background:#12355b;color:#fff;padding:.6em 1em}
header a{color:#dbe8ff;text-decoration:none;margin-right:.8em}header a[aria-current=page]{color:#fff;font-weight:bold;border-bottom:2px solid #fff}
header .right{margin-left:auto;display:flex;gap:.8em;align-items:center}
main{padding:1em 1.5em;max-width:1200px}
table{border-collapse:collapse;background:#fff;margin:.5em 0 1.5em;width:100%}th,td{border:1px solid #d0d5dd;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#eef1f5}td.num{text-align:right}
.error{background:#fde8e8;border:1px solid #e0a0a0;padding:.6em 1em;color:#8a1c1c}
.ok{background:#e6f4ea;border:1px solid #9fcfae;padding:.6em 1em;color:#17582b}
form.inline{display:inline}fieldset{background:#fff;margin:.8em 0;border:1px solid #d0d5dd}
label{display:inline-block;min-width:9em}input[type=text],input[type=password],input[type=date],input[type=email],input[type=tel]{padding:.2em;width:16em}
.late{color:#a11}.soon{color:#a60}.pager a{margin-right:1em}.field-error{color:#a11;font-size:.9em}
svg text{font-size:11px}
`;
