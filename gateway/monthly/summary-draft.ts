import { randomBytes } from 'node:crypto';
import { In, MoreThanOrEqual, type DataSource } from 'typeorm';
import { decode, type MessageDocument } from '../../contracts/codec';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { toGatewayError, validate } from '../../contracts/validation';
import { beijingDateOf, formatBeijing } from '../calendar/beijing-time';
import { ContactPersonEntity } from '../contacts/entities';
import { CaseEntity } from '../obligations/entities/case';
import { MessageEntity } from '../store/entities/message';

const BEIJING_OFFSET_MS = 8 * 3600_000;

/** A calendar month `YYYY-MM` and its bounds in Beijing time (start inclusive, end exclusive). */
export interface Period {
  readonly period: string;
  readonly start: Date;
  readonly end: Date;
}

/** Reads `YYYY-MM`; `monthly.bad-period` naming the field otherwise. */
export function parsePeriod(text: string | undefined, field = 'period'): Period {
  const m = typeof text === 'string' ? /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text) : null;
  if (m === null) {
    throw new GatewayError('monthly.bad-period', `${field} must be a calendar month written YYYY-MM (e.g. 2026-11), got ${JSON.stringify(text ?? null)}`, { field, value: text, article: 'Art. 10(3)' });
  }
  const year = Number(m[1]);
  const month = Number(m[2]);
  return { period: text as string, start: new Date(Date.UTC(year, month - 1, 1) - BEIJING_OFFSET_MS), end: new Date(Date.UTC(year, month, 1) - BEIJING_OFFSET_MS) };
}

/** One level IV event as the summary lists it. */
interface SummaryEvent {
  seq: number;
  reportId: string;
  reportingUnit: string;
  occurredAt: string;
  malwareName: string;
  provinces: string[];
  infectedDevices: number;
  infectedNumbers24h: number;
  lossYuan: number;
}

/** The draft and what the gateway could not put in it. */
export interface SummaryDraft {
  /** The unsigned MonthlyGeneralSummary, valid against its form. */
  readonly document: MessageDocument;
  /** Reports of the month whose content is purged (Art. 12) or unreadable: not in the draft. */
  readonly omitted: readonly string[];
}

/** What the draft is made with. */
export interface SummaryDraftOptions {
  /** `YYYY-MM`: the events discovered in this month (Beijing time). */
  readonly period: string;
  /** The compilation time (compiledAt, sentAt). */
  readonly now: Date;
  /** 汇总人; default: cncert's first registered contact person, else `CNCERT`. */
  readonly compiledBy?: string;
}

type Fields = Record<string, unknown>;

const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : 0);

function eventOf(ev: Fields, reportId: string, reportingUnit: string): SummaryEvent {
  return {
    seq: 0, reportId, reportingUnit, occurredAt: String(ev.occurredAt), malwareName: String(ev.malwareName),
    provinces: Array.isArray(ev.provinces) ? ev.provinces.map(String) : [],
    infectedDevices: num(ev.infectedDevices), infectedNumbers24h: num(ev.infectedNumbers24h), lossYuan: num(ev.lossYuan),
  };
}

function discoveredIn(ev: Fields, p: Period): boolean {
  const t = typeof ev.discoveredAt === 'string' ? new Date(ev.discoveredAt).getTime() : Number.NaN;
  return t >= p.start.getTime() && t < p.end.getTime();
}

/**
 * Drafts CNCERT's MonthlyGeneralSummary (Art. 10(3)) of the level IV events discovered in the
 * month (Beijing time, as the month of the `monthly-general-summary` obligation is counted): every
 * event of the IncidentReportBatches and every level IV IncidentReport accepted since the month
 * began, except events whose case was re-graded above IV since (they are handled case by case).
 * Events are listed by occurrence, the counts summed (loss to the fen). Addressed to the
 * reporting units, copied to miit. The draft is unsigned: cncert reviews it, adds its analysis,
 * signs and sends it, which meets the obligation.
 */
export async function draftMonthlyGeneralSummary(dataSource: DataSource, options: SummaryDraftOptions): Promise<SummaryDraft> {
  const p = parsePeriod(options.period);
  // A form's times are to the second.
  const now = new Date(Math.floor(options.now.getTime() / 1000) * 1000);
  const messages = await dataSource.getRepository(MessageEntity).find({
    where: { type: In(['IncidentReportBatch', 'IncidentReport']), acceptedAt: MoreThanOrEqual(p.start) },
    select: { id: true, type: true, fromCode: true, bytes: true, acceptedAt: true },
    order: { acceptedAt: 'ASC', id: 'ASC' },
  });
  const candidates: { event: SummaryEvent; caseKey: string }[] = [];
  const omitted: string[] = [];
  for (const m of messages) {
    if (m.fromCode === 'cncert') continue;
    const doc = m.bytes.length === 0 ? undefined : decode(m.bytes).document;
    const body = doc?.body as Fields | undefined;
    if (body === undefined) {
      omitted.push(`${m.type} ${m.id}: its content is ${m.bytes.length === 0 ? 'purged (Art. 12)' : 'unreadable'}`);
      continue;
    }
    if (m.type === 'IncidentReport') {
      if (body.level === 'IV' && discoveredIn(body, p)) candidates.push({ event: eventOf(body, m.id, m.fromCode), caseKey: m.id });
      continue;
    }
    const events = Array.isArray(body.events) ? (body.events as Fields[]) : [];
    for (const [i, ev] of events.entries()) {
      if (discoveredIn(ev, p)) candidates.push({ event: eventOf(ev, m.id, m.fromCode), caseKey: `${m.id}#${typeof ev.seq === 'number' ? ev.seq : i + 1}` });
    }
  }
  const keys = candidates.map((c) => c.caseKey);
  const regraded = new Set<string>();
  for (let i = 0; i < keys.length; i += 500) {
    const cases = await dataSource.getRepository(CaseEntity).find({ where: { key: In(keys.slice(i, i + 500)) }, select: { key: true, level: true } });
    for (const c of cases) if (c.level !== null && c.level !== 'IV') regraded.add(c.key);
  }
  const events = candidates.filter((c) => !regraded.has(c.caseKey)).map((c) => c.event)
    .sort((a, b) => new Date(a.occurredAt).getTime() - new Date(b.occurredAt).getTime() || a.reportId.localeCompare(b.reportId));
  events.forEach((e, i) => (e.seq = i + 1));
  const fen = events.reduce((s, e) => s + Math.round(e.lossYuan * 100), 0);
  const units = [...new Set(events.map((e) => e.reportingUnit))].sort();
  const compiledBy = options.compiledBy ?? (await cncertContact(dataSource)) ?? 'CNCERT';
  const document: MessageDocument = {
    id: `cncert-${beijingDateOf(now).replace(/-/g, '')}-${randomBytes(4).toString('hex')}`,
    type: 'MonthlyGeneralSummary',
    version: '1.0',
    from: 'cncert',
    to: units.length > 0 ? units : ['miit'],
    ...(units.length > 0 && { cc: ['miit'] }),
    sentAt: formatBeijing(now),
    body: {
      month: p.period,
      compiledBy,
      compiledAt: formatBeijing(now),
      counts: { events: events.length, infectedDevices: events.reduce((s, e) => s + e.infectedDevices, 0), infectedNumbers: events.reduce((s, e) => s + e.infectedNumbers24h, 0), lossYuan: fen / 100 },
      events,
    },
  };
  const checked = validate(document);
  // Stored reports were valid when accepted; a draft that is not means the form changed since: say where.
  if (!checked.ok) throw toGatewayError(checked.errors);
  return { document: checked.value, omitted };
}

async function cncertContact(dataSource: DataSource): Promise<string | undefined> {
  const people = await dataSource.getRepository(ContactPersonEntity).find({ where: { institutionCode: 'cncert' }, order: { position: 'ASC' } });
  const person = people.find((x) => x.role === 'contact') ?? people[0];
  return person?.name.slice(0, 50);
}
