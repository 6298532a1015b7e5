import { html, type Raw } from './html';
import type { PageContext } from './page';

/** Rows per page of every console list. */
export const PAGE_SIZE = 50;

/** The page number of the request (`?page=N`, 1-based) and its SQL offset. */
export function pageOf(c: PageContext): { page: number; offset: number; limit: number } {
  const n = Number(c.query('page') ?? '1');
  const page = Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
  return { page, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE };
}

/** Previous / next links keeping the other query parameters. */
export function pager(c: PageContext, path: string, page: number, total: number, query: Readonly<Record<string, string | undefined>> = {}): Raw {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const prev = page > 1 ? html`<a href="${c.href(path, { ...query, page: page - 1 })}">← ${c.t({ zh: '上一页', en: 'previous' })}</a>` : '';
  const next = page < pages ? html`<a href="${c.href(path, { ...query, page: page + 1 })}">${c.t({ zh: '下一页', en: 'next' })} →</a>` : '';
  return html`<p class="pager">${prev}<span>${c.t({ zh: `第 ${page} / ${pages} 页，共 ${total} 条`, en: `page ${page} of ${pages}, ${total} in all` })}</span> ${next}</p>`;
}
