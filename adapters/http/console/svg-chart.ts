import { esc } from './html';

/** One series of a stacked bar chart. */
export interface BarSeries {
  readonly label: string;
  /** A fill colour (SVG presentation attribute: no inline style, the console's CSP allows none). */
  readonly color: string;
  /** One value per category. */
  readonly values: readonly number[];
}

/** A stacked horizontal bar chart: one bar per category. */
export interface BarChartInput {
  readonly categories: readonly string[];
  readonly series: readonly BarSeries[];
  /** The chart's accessible title. */
  readonly title: string;
  /** Pixel width of the longest bar. @defaultValue 480 */
  readonly width?: number;
}

/**
 * A stacked horizontal bar chart as inline SVG, built on the server (no script): a bar per
 * category, a segment per series, the total after the bar, a legend below. Each bar has a
 * `<title>` with its figures for screen readers and hovering.
 */
export function barChart(input: BarChartInput): string {
  const rowH = 18;
  const labelW = 110;
  const width = input.width ?? 480;
  const totals = input.categories.map((_, i) => input.series.reduce((s, x) => s + (x.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const legendY = input.categories.length * rowH + 10;
  const height = legendY + 20;
  const bars = input.categories.map((cat, i) => {
    let x = labelW;
    const y = i * rowH;
    const segments = input.series.map((s) => {
      const v = s.values[i] ?? 0;
      const w = (v / max) * width;
      const rect = v > 0 ? `<rect x="${x.toFixed(1)}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowH - 4}" fill="${esc(s.color)}"/>` : '';
      x += w;
      return rect;
    }).join('');
    const figures = input.series.map((s) => `${s.label} ${s.values[i] ?? 0}`).join(', ');
    return `<g class="bar" data-category="${esc(cat)}"><title>${esc(`${cat}: ${figures}`)}</title><text x="${labelW - 6}" y="${y + rowH - 5}" text-anchor="end">${esc(cat)}</text>${segments}<text x="${(x + 4).toFixed(1)}" y="${y + rowH - 5}">${totals[i]}</text></g>`;
  }).join('');
  let lx = labelW;
  const legend = input.series.map((s) => {
    const item = `<rect x="${lx}" y="${legendY}" width="10" height="10" fill="${esc(s.color)}"/><text x="${lx + 14}" y="${legendY + 9}">${esc(s.label)}</text>`;
    lx += 24 + s.label.length * 12;
    return item;
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(input.title)}" width="${labelW + width + 60}" height="${height}" viewBox="0 0 ${labelW + width + 60} ${height}"><title>${esc(input.title)}</title>${bars}${legend}</svg>`;
}
