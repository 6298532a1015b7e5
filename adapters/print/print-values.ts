import type { Field, FieldType, ObjectType } from '../../contracts/model/field-types';
import { PROVINCES } from '../../contracts/validation/provinces';
import { BEIJING_OFFSET_MS } from '../../gateway/calendar';
import { esc } from '../http/console/html';

/** Institution code → name (the registry's), to print `工业和信息化部网络安全管理局（miit）` instead of a bare code. */
export type InstitutionNames = Readonly<Record<string, string>>;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** An instant in Beijing time the way the annexes write dates (____年___月___日), with the time: `2026年11月28日 10:50`. */
export function beijingZh(at: Date): string {
  const s = new Date(at.getTime() + BEIJING_OFFSET_MS);
  const seconds = s.getUTCSeconds();
  return `${s.getUTCFullYear()}年${pad(s.getUTCMonth() + 1)}月${pad(s.getUTCDate())}日 ${pad(s.getUTCHours())}:${pad(s.getUTCMinutes())}${seconds === 0 ? '' : `:${pad(seconds)}`}`;
}

/** The empty box: an optional field the sender left out. */
export const EMPTY = '<span class="empty">—</span>';

/** An institution as `name（code）`, or the bare code when the registry does not know it. */
export function institutionHtml(code: string, names: InstitutionNames): string {
  const name = names[code];
  return name === undefined ? esc(code) : `${esc(name)}<span class="code">（${esc(code)}）</span>`;
}

function scalarHtml(value: unknown, type: FieldType, names: InstitutionNames): string {
  switch (type.kind) {
    case 'datetime': {
      const at = typeof value === 'string' ? new Date(value) : undefined;
      return at && !Number.isNaN(at.getTime()) ? esc(beijingZh(at)) : esc(value);
    }
    case 'date': {
      const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
      return m ? esc(`${m[1]}年${m[2]}月${m[3]}日`) : esc(value);
    }
    case 'month': {
      const m = typeof value === 'string' ? /^(\d{4})-(\d{2})$/.exec(value) : null;
      return m ? esc(`${m[1]}年${m[2]}月`) : esc(value);
    }
    case 'enum': {
      const label = type.labels?.[String(value)];
      return label === undefined ? esc(value) : `${esc(label)}<span class="code">（${esc(value)}）</span>`;
    }
    case 'boolean':
      return value === true ? '是' : value === false ? '否' : esc(value);
    case 'province': {
      const name = PROVINCES[String(value)];
      return name === undefined ? esc(value) : `${esc(name)}<span class="code">（${esc(value)}）</span>`;
    }
    case 'institution':
      return institutionHtml(String(value), names);
    case 'string':
      return type.multiline ? `<div class="text">${esc(value)}</div>` : esc(value);
    default:
      return esc(value);
  }
}

/** A list of objects as a table: one row per item, the item's declared fields as columns (e.g. servers, affected platforms). */
export function itemsTableHtml(items: readonly unknown[], type: ObjectType, names: InstitutionNames, attributes = 'class="items"'): string {
  const columns = Object.entries(type.fields);
  const head = columns.map(([, f]) => `<th class="k-${f.type.kind}">${esc(f.label)}</th>`).join('');
  const rows = items.map((item) => {
    const record = isRecord(item) ? item : {};
    return `<tr>${columns.map(([k, f]) => `<td>${valueHtml(record[k], f.type, names)}</td>`).join('')}</tr>`;
  }).join('');
  return `<table ${attributes}><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

/** A single object (e.g. a person) as label / value lines. */
function objectHtml(value: Record<string, unknown>, type: ObjectType, names: InstitutionNames): string {
  const lines = Object.entries(type.fields)
    .filter(([k]) => value[k] !== undefined)
    .map(([k, f]) => `<tr><th>${esc(f.label)}</th><td>${valueHtml(value[k], f.type, names)}</td></tr>`);
  return `<table class="items pairs"><tbody>${lines.join('')}</tbody></table>`;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value of the declared `type` as print HTML, every text escaped; `—` when absent or an empty list. */
export function valueHtml(value: unknown, type: FieldType | undefined, names: InstitutionNames): string {
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) return EMPTY;
  if (type === undefined) return `<div class="text">${esc(typeof value === 'string' ? value : JSON.stringify(value, null, 1))}</div>`;
  if (type.kind === 'array') {
    if (!Array.isArray(value)) return esc(value);
    if (type.of.kind === 'object') return itemsTableHtml(value, type.of, names);
    return `<ul class="list">${value.map((v) => `<li>${valueHtml(v, type.of, names)}</li>`).join('')}</ul>`;
  }
  if (type.kind === 'object') return isRecord(value) ? objectHtml(value, type, names) : esc(value);
  return scalarHtml(value, type, names);
}

/** The label and declared type of body field `name`; an undeclared key is labelled with itself and printed as text. */
export function fieldOf(type: ObjectType, name: string): { readonly label: string; readonly type: FieldType | undefined } {
  const f: Field | undefined = type.fields[name];
  return f === undefined ? { label: name, type: undefined } : { label: f.label, type: f.type };
}
