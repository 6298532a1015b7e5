import { beijingWallClock } from '../../../gateway/calendar';

/** Escapes text for HTML content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A tagged template that escapes every interpolated value except `Raw` ones. */
export class Raw {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

/** Marks already-safe HTML. */
export const raw = (html: string): Raw => new Raw(html);

/** `html\`<p>${x}</p>\`` escapes x unless it is Raw (or an array of Raw/strings, joined). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Raw {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += part(v) + strings[i + 1]!;
  });
  return new Raw(out);
}

function part(v: unknown): string {
  if (v instanceof Raw) return v.html;
  if (Array.isArray(v)) return v.map(part).join('');
  if (v === undefined || v === null || v === false) return '';
  return esc(v);
}

/** An instant in Beijing time, `YYYY-MM-DD HH:MM`, or `—`. */
export function beijing(d: Date | null | undefined): string {
  if (!d) return '—';
  return beijingWallClock(d).slice(0, 16).replace('T', ' ');
}
