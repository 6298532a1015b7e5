import { randomBytes } from 'node:crypto';
import { Workbook, type Cell, type Worksheet } from 'exceljs';
import type { MessageDocument } from '../../contracts/codec';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { monthlyDisposalFeedback } from '../../contracts/forms/monthly-disposal-feedback';
import { toGatewayError, validate, type ContractError } from '../../contracts/validation';

/** The columns of the level IV monthly disposal spreadsheet (Annex 5 boxes), Chinese label first; a header may be either label. */
export const MONTHLY_DISPOSAL_COLUMNS = [
  { field: 'seq', zh: '序号', en: 'no.', required: false },
  { field: 'reportId', zh: '报送报文编号', en: 'report message id', required: false },
  { field: 'disposedAt', zh: '处置时间', en: 'disposed at', required: true },
  { field: 'malwareName', zh: '恶意程序名称', en: 'malware name', required: true },
  { field: 'disposedControlServers', zh: '已处置的控制服务器', en: 'control servers disposed of', required: false },
  { field: 'disposedDistributionServers', zh: '已处置的传播服务器', en: 'distribution servers disposed of', required: false },
  { field: 'usersNotified', zh: '已直接提示的用户数量', en: 'users notified directly', required: true },
  { field: 'undisposedControlServers', zh: '未处置的控制服务器', en: 'control servers not disposed of', required: false },
  { field: 'undisposedDistributionServers', zh: '未处置的传播服务器', en: 'distribution servers not disposed of', required: false },
  { field: 'undisposedReason', zh: '未处置的原因', en: 'why not disposed of', required: false },
  { field: 'remarks', zh: '备注', en: 'remarks', required: false },
] as const;

const SERVER_FIELDS = new Set(['disposedControlServers', 'disposedDistributionServers', 'undisposedControlServers', 'undisposedDistributionServers']);

/** The boxes of the spreadsheet that are not rows: the filer and the month (Art. 11(4)). */
export interface MonthlySheetHeader {
  readonly month: string;
  readonly reportingUnit: string;
  readonly reporter: string;
  readonly phone: string;
  readonly email: string;
  readonly feedbackAt: string;
}

/** One problem of the sheet, at its cell (`Sheet1!F7`) or, for a header box, without one. */
export interface SheetError {
  /** `Sheet!A1` of the cell, or `(header) month` for a box given beside the sheet. */
  readonly cell: string;
  /** The spreadsheet row (1-based) or null. */
  readonly row: number | null;
  /** The same as `cell`, so that the error reads as a rule error (problem details, CLI) naming where it is. */
  readonly path: string;
  readonly code: string;
  readonly message: string;
  readonly source: string;
}

/** A sheet accepted: the MonthlyDisposalFeedback body, and where it came from. */
export interface MonthlyDisposalImport {
  readonly sheet: string;
  readonly body: Record<string, unknown>;
}

/**
 * Reads an operator's level IV MonthlyDisposalFeedback spreadsheet (.xlsx, first sheet; header
 * row 1 with the column labels, Chinese or English; one row per disposal; empty rows skipped).
 * Server cells list entries separated by `;` or new lines, each `IP [domain] [port]` separated
 * by spaces (e.g. `203.0.113.88 mail-sync.cn 25; 192.0.2.7`). A date cell is read as Beijing
 * wall-clock time. Every row is validated by the contract's DisposalFeedback row rules
 * (Annex 5): a single broken row refuses the whole sheet with `compliance.sheet-invalid`,
 * listing every error with its cell; nothing is returned then.
 */
export async function importMonthlyDisposalFeedback(xlsx: Buffer, header: MonthlySheetHeader): Promise<MonthlyDisposalImport> {
  const workbook = new Workbook();
  try {
    await workbook.xlsx.load(xlsx as unknown as ArrayBuffer);
  } catch (e) {
    throw new GatewayError('compliance.sheet-unreadable', `the MonthlyDisposalFeedback spreadsheet is not a readable .xlsx workbook: ${(e as Error).message}`, { article: 'Art. 11(4)' });
  }
  const ws = workbook.worksheets[0];
  if (ws === undefined) throw new GatewayError('compliance.sheet-unreadable', 'the MonthlyDisposalFeedback workbook has no sheet', { article: 'Art. 11(4)' });
  const columns = headerColumns(ws);
  const errors: SheetError[] = [];
  const rows: Array<Record<string, unknown>> = [];
  const sheetRows: number[] = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    const row: Record<string, unknown> = {};
    for (const [field, col] of columns) {
      const cell = ws.getRow(r).getCell(col);
      const value = cellValue(cell);
      if (value === undefined) continue;
      if (SERVER_FIELDS.has(field)) {
        const parsed = parseServers(String(value));
        if ('error' in parsed) errors.push({ cell: `${ws.name}!${cell.address}`, path: `${ws.name}!${cell.address}`, row: r, code: 'contract.format', message: `${field}: ${parsed.error}`, source: 'Annex 5' });
        else row[field] = parsed.servers;
      } else row[field] = value;
    }
    if (Object.keys(row).length === 0) continue;
    if (row.seq === undefined) row.seq = rows.length + 1;
    rows.push(row);
    sheetRows.push(r);
  }
  if (rows.length === 0 && errors.length === 0) {
    throw new GatewayError('compliance.sheet-unreadable', `sheet ${ws.name} has no disposal rows under its header row`, { sheet: ws.name, article: 'Art. 11(4)' });
  }
  const body = { ...header, rows };
  const result = validate({ ...monthlyDisposalFeedback.example, body });
  for (const e of result.errors) errors.push(locate(e, ws, columns, sheetRows));
  if (errors.length > 0) {
    errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    const lines = errors.map((e) => `${e.cell}: ${e.code} ${e.message}`);
    throw new GatewayError('compliance.sheet-invalid', `the MonthlyDisposalFeedback sheet ${ws.name} is refused, nothing was accepted (${errors.length} error${errors.length > 1 ? 's' : ''}):\n${lines.join('\n')}`, { sheet: ws.name, errors, article: 'Art. 11(4)' });
  }
  return { sheet: ws.name, body: (result.value.body ?? body) as Record<string, unknown> };
}

/** Field → column number, from the header row; `compliance.sheet-unreadable` when a required column is missing. */
function headerColumns(ws: Worksheet): Map<string, number> {
  const found = new Map<string, number>();
  ws.getRow(1).eachCell((cell, col) => {
    const text = String(cellValue(cell) ?? '').trim().toLowerCase();
    const c = MONTHLY_DISPOSAL_COLUMNS.find((d) => text.startsWith(d.zh) || text === d.en.toLowerCase() || text.includes(d.en.toLowerCase()));
    if (c !== undefined && !found.has(c.field)) found.set(c.field, col);
  });
  const missing = MONTHLY_DISPOSAL_COLUMNS.filter((c) => c.required && !found.has(c.field));
  if (missing.length > 0) {
    throw new GatewayError('compliance.sheet-unreadable', `sheet ${ws.name}: the header row lacks the column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `${c.zh} (${c.en})`).join(', ')}`, { sheet: ws.name, missing: missing.map((c) => c.field), article: 'Annex 5' });
  }
  return found;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** A cell as the contract wants it: text trimmed, numbers as numbers, a date as Beijing wall-clock ISO; undefined when empty. */
function cellValue(cell: Cell): unknown {
  const v = cell.value;
  if (v === null || v === undefined) return undefined;
  if (v instanceof Date) {
    // exceljs gives the wall-clock time the sheet shows as if it were UTC.
    return `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}T${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}:${pad(v.getUTCSeconds())}+08:00`;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  const text = cell.text.trim();
  return text === '' ? undefined : text;
}

/** `IP [domain] [port]` entries separated by `;` or new lines. */
function parseServers(text: string): { servers: Array<Record<string, unknown>> } | { error: string } {
  const servers: Array<Record<string, unknown>> = [];
  for (const entry of text.split(/[;\n；]/).map((s) => s.trim()).filter((s) => s !== '')) {
    const [ip, ...rest] = entry.split(/[\s,，]+/);
    const server: Record<string, unknown> = { ip };
    for (const token of rest) {
      if (/^\d+$/.test(token) && server.port === undefined) server.port = Number(token);
      else if (server.domain === undefined && !/^\d+$/.test(token)) server.domain = token;
      else return { error: `"${entry}" is not "IP [domain] [port]" (one domain and one port at most)` };
    }
    servers.push(server);
  }
  return { servers };
}

/** Puts a contract error of `body.rows[i].field…` at its cell; header boxes get `(header) field`. */
function locate(e: ContractError, ws: Worksheet, columns: Map<string, number>, sheetRows: readonly number[]): SheetError {
  const m = /^body\.rows\[(\d+)\](?:\.([A-Za-z]+))?/.exec(e.path);
  if (m === null) return { cell: `(header) ${e.path.replace(/^body\.?/, '') || 'body'}`, path: `(header) ${e.path.replace(/^body\.?/, '') || 'body'}`, row: null, code: e.code, message: e.message, source: e.source };
  const row = sheetRows[Number(m[1])] ?? 0;
  const col = m[2] === undefined ? undefined : columns.get(m[2]);
  const address = col === undefined ? `row ${row}` : ws.getRow(row).getCell(col).address;
  return { cell: `${ws.name}!${address}`, path: `${ws.name}!${address}`, row, code: e.code, message: `${e.path.replace(/^body\.rows\[\d+\]\.?/, '') || 'row'}: ${e.message}`, source: e.source };
}

/** What the MonthlyDisposalFeedback document is made of besides the sheet. */
export interface MonthlyFeedbackInput {
  /** The disposing unit sending it (op-*, dr-*, rr-*). */
  readonly from: string;
  /** `YYYY-MM`: the month the rows report. */
  readonly period: string;
  /** 报送单位, 填报人, 联系电话, E-Mail. */
  readonly reportingUnit: string;
  readonly reporter: string;
  readonly phone: string;
  readonly email: string;
  /** 反馈时间; default: `now`. */
  readonly feedbackAt?: string;
  /** The time the document is made (its id's day, sentAt). */
  readonly now: Date;
}

const BEIJING_MS = 8 * 3600_000;

/** `now` in Beijing time, ISO 8601 with +08:00, to the second. */
function beijing(now: Date): string {
  const b = new Date(now.getTime() + BEIJING_MS);
  return `${b.getUTCFullYear()}-${pad(b.getUTCMonth() + 1)}-${pad(b.getUTCDate())}T${pad(b.getUTCHours())}:${pad(b.getUTCMinutes())}:${pad(b.getUTCSeconds())}+08:00`;
}

/**
 * The unsigned MonthlyDisposalFeedback document (Art. 11(4)) of an operator's .xlsx sheet, to be
 * signed and sent to cncert (`mmgw send`): a fresh id `<from>-<yyyymmdd>-<8 hex>`, sentAt = now,
 * the body from `importMonthlyDisposalFeedback`. Refusals change nothing and return nothing:
 * `monthly.bad-period`, `compliance.sheet-unreadable`, `compliance.sheet-invalid` (every error at
 * its row and cell), or the envelope's contract error (e.g. `from` not an institution code).
 */
export async function monthlyDisposalFeedbackDocument(xlsx: Buffer, input: MonthlyFeedbackInput): Promise<MessageDocument> {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(input.period)) {
    throw new GatewayError('monthly.bad-period', `period must be a calendar month written YYYY-MM (e.g. 2026-11), got ${JSON.stringify(input.period)}`, { field: 'period', value: input.period, article: 'Art. 11(4)' });
  }
  const sentAt = beijing(input.now);
  const { body } = await importMonthlyDisposalFeedback(xlsx, {
    month: input.period, reportingUnit: input.reportingUnit, reporter: input.reporter, phone: input.phone, email: input.email, feedbackAt: input.feedbackAt ?? sentAt,
  });
  const doc: MessageDocument = {
    id: `${input.from}-${sentAt.slice(0, 10).replace(/-/g, '')}-${randomBytes(4).toString('hex')}`,
    type: 'MonthlyDisposalFeedback', version: '1.0', from: input.from, to: ['cncert'], sentAt, body,
  };
  const checked = validate(doc);
  if (!checked.ok) throw toGatewayError(checked.errors);
  return checked.value;
}
