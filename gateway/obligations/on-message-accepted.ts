import type { EntityManager } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { columnsOf, placeholders, tableOf } from '../bus/sql';
import { insertRows } from '../store/insert-rows';
import { GATEWAY_CODE } from '../identity/gateway-identity';
import type { EventLevel } from '../../contracts/obligations/event-levels';
import { beijingMonth, dateField, fieldsOf, instantField, levelField, monthField, optionalText, provinces, records, requiredLevel, text, type Fields } from './body-fields';
import { assignTaskNumber, attachMessage, caseByTaskNumber, caseOfMessage, openCase } from './cases';
import { CaseEntity, CaseMessageEntity, type CaseMessageRow, type CaseRow } from './entities/case';
import { ObligationEntity, type ObligationRow } from './entities/obligation';
import { closeFollowups, earlierNoticeOf, openObligationMetByNotice } from './followup';
import { monthSubject } from './month-subject';
import type { AcceptedAt, AcceptedMessage } from './hooks';
import { closeObligation, dueWith, findOpen, obligationKey, openAndClose, openObligation, periodsAt, specialPeriodsBetween, type OpenRequest } from './obligation-store';
import type { ObligationContext } from './options';
import { levelCalledFor, regradeCase } from './regrade';

/** What a handler is given. */
interface Step {
  readonly manager: EntityManager;
  readonly ctx: ObligationContext;
  readonly a: AcceptedMessage;
  readonly fields: Fields;
  readonly now: Date;
}

const CNCERT = 'cncert';

function taskOf(s: Step, required: boolean): string | undefined {
  const task = s.a.taskNumber ?? optionalText(s.fields, 'taskNumber');
  if (required && task === undefined) {
    throw new GatewayError('obligation.bad-body', `${s.a.type} ${s.a.id}: taskNumber is missing; this form answers a task (Art. 11)`, { form: s.a.type, field: 'taskNumber', messageId: s.a.id });
  }
  return task;
}

function mustBeCncert(s: Step, article: string): void {
  if (s.a.from !== CNCERT) {
    throw new GatewayError('obligation.not-responsible', `${s.a.type} ${s.a.id} comes from ${s.a.from}; only cncert sends it (${article})`, { form: s.a.type, from: s.a.from, article });
  }
}

/** Opens the monthly obligations a level IV event starts for its month (the Beijing month of its discovery). */
async function openMonthly(s: Step, reporter: string, discoveredAt: Date): Promise<void> {
  const month = beijingMonth(discoveredAt);
  await openObligation(s.manager, s.ctx, { obligation: 'monthly-general-summary', party: CNCERT, subject: monthSubject(month), openedBy: s.a.id, start: discoveredAt }, s.now);
  await openObligation(s.manager, s.ctx, { obligation: 'disposal-feedback', party: reporter, counterparty: CNCERT, subject: monthSubject(month), level: 'IV', openedBy: s.a.id, start: discoveredAt }, s.now);
}

/** Re-grades the case upward when this message of it calls for a more serious level. */
async function maybeRegrade(s: Step, c: CaseRow, at: Date): Promise<void> {
  const level = levelCalledFor(s.a.type, s.fields, at, s.ctx);
  if (level !== undefined) await regradeCase(s.manager, s.ctx, c, level, s.a, s.a.receivedAt, s.now);
}

/** One event report (an IncidentReport, or one event of a batch): the report meets its own clock. */
async function reportEvent(s: Step, ev: Fields, caseKey: string, label: string): Promise<void> {
  const level = requiredLevel(s.a.type, ev);
  const discoveredAt = instantField(s.a.type, ev, 'discoveredAt', `${label}discoveredAt`);
  const byCncert = s.a.from === CNCERT;
  const obligation = byCncert ? 'cncert-event-report' : 'event-report';
  const phoned = await earlierNoticeOf(s.manager, s.a.from, s.a.type, discoveredAt, s.a.receivedAt);
  const metAt = phoned?.start ?? s.a.receivedAt;
  const counterparty = level === 'IV' && !byCncert ? CNCERT : 'miit';
  await openAndClose(s.manager, s.ctx, { obligation, party: s.a.from, counterparty, caseKey, level, openedBy: null, start: discoveredAt }, s.a.id, metAt, s.now);
  if (level === 'IV') await openMonthly(s, s.a.from, discoveredAt);
}

async function incidentReport(s: Step): Promise<void> {
  const task = taskOf(s, false);
  const level = requiredLevel(s.a.type, s.fields);
  if (task !== undefined) {
    // A follow-up report of a known task: new figures may re-grade the case.
    let c = await caseByTaskNumber(s.manager, task, s.a);
    c = await attachMessage(s.manager, c, s.a, level, provinces(s.fields), s.now);
    await maybeRegrade(s, c, instantField(s.a.type, s.fields, 'discoveredAt'));
    await closeFollowups(s.manager, s.a, c.key);
    return;
  }
  let c = await openCase(s.manager, s.a.id, 'incident', level, provinces(s.fields), s.now);
  c = await attachMessage(s.manager, c, s.a, level, provinces(s.fields), s.now);
  await reportEvent(s, s.fields, c.key, '');
  await closeFollowups(s.manager, s.a, null);
}

async function incidentReportBatch(s: Step): Promise<void> {
  const events = records(s.fields, 'events');
  for (const [i, ev] of events.entries()) {
    const seq = typeof ev.seq === 'number' ? ev.seq : i + 1;
    const level = requiredLevel(s.a.type, ev);
    let c = await openCase(s.manager, `${s.a.id}#${seq}`, 'incident', level, provinces(ev), s.now);
    c = await attachMessage(s.manager, c, s.a, level, provinces(ev), s.now);
    await reportEvent(s, ev, c.key, `events[${i}].`);
  }
  await closeFollowups(s.manager, s.a, null);
}

async function incidentNotice(s: Step): Promise<void> {
  const task = taskOf(s, true) as string;
  const level = levelField(s.a.type, s.fields) ?? null;
  let c: CaseRow | null = null;
  const answered = s.a.inReplyTo ? await caseOfMessage(s.manager, s.a.inReplyTo) : undefined;
  if (answered && answered.case.kind === 'incident') c = await assignTaskNumber(s.manager, answered.case, task, s.a);
  c ??= await s.manager.findOneBy(CaseEntity, { taskNumber: task });
  // A notice of an event cncert or miit learned of itself opens its own case, keyed by the task number.
  c ??= await openCase(s.manager, task, 'incident', level, provinces(s.fields), s.now, task);
  c = await attachMessage(s.manager, c, s.a, level, provinces(s.fields), s.now);
  await maybeRegrade(s, c, s.a.receivedAt);
}

async function sampleReport(s: Step): Promise<void> {
  let c = await openCase(s.manager, s.a.id, 'sample', null, [], s.now);
  c = await attachMessage(s.manager, c, s.a, null, [], s.now);
  const samples = records(s.fields, 'samples');
  if (samples.length === 0) throw new GatewayError('obligation.bad-body', `SampleReport ${s.a.id}: samples is empty`, { form: s.a.type, field: 'samples' });
  for (const [i, sample] of samples.entries()) {
    const start = instantField(s.a.type, sample, 'firstObtainedAt', `samples[${i}].firstObtainedAt`);
    const seq = typeof sample.seq === 'number' ? sample.seq : i + 1;
    await openAndClose(s.manager, s.ctx, { obligation: 'sample-report', party: s.a.from, counterparty: CNCERT, caseKey: c.key, subject: `sample:${seq}`, start }, s.a.id, s.a.receivedAt, s.now);
  }
  // cncert's clock starts when it receives the report: the gateway's accept time.
  await openObligation(s.manager, s.ctx, { obligation: 'sample-identification', party: CNCERT, counterparty: s.a.from, caseKey: c.key, openedBy: s.a.id, start: s.a.receivedAt }, s.now);
  await closeFollowups(s.manager, s.a, c.key);
}

async function sampleIdentification(s: Step): Promise<void> {
  mustBeCncert(s, 'Art. 9(2)');
  const number = optionalText(s.fields, 'number') ?? null;
  let c: CaseRow;
  if (s.a.inReplyTo) {
    const answered = await caseOfMessage(s.manager, s.a.inReplyTo);
    if (!answered || answered.case.kind !== 'sample') {
      throw new GatewayError('obligation.unknown-task', `SampleIdentification ${s.a.id} answers ${s.a.inReplyTo}, which is no SampleReport this gateway accepted`, { field: 'references.inReplyTo', inReplyTo: s.a.inReplyTo, messageId: s.a.id });
    }
    c = number ? await assignTaskNumber(s.manager, answered.case, number, s.a) : answered.case;
    for (const o of await findOpen(s.manager, { obligation: 'sample-identification', party: CNCERT, caseKey: c.key })) await closeObligation(s.manager, o, s.a.id, s.a.receivedAt);
  } else {
    // cncert's own identification of a sample nobody reported: a case, no clock.
    c = await openCase(s.manager, s.a.id, 'sample', null, provinces(s.fields), s.now, number);
  }
  await attachMessage(s.manager, c, s.a, null, provinces(s.fields), s.now);
  await closeFollowups(s.manager, s.a, c.key);
}

async function disposalFeedback(s: Step): Promise<void> {
  let c = await caseByTaskNumber(s.manager, taskOf(s, true) as string, s.a);
  c = await attachMessage(s.manager, c, s.a, null, [], s.now);
  await closeFollowups(s.manager, s.a, c.key);
  for (const o of await findOpen(s.manager, { obligation: 'disposal-feedback', party: s.a.from, caseKey: c.key })) await closeObligation(s.manager, o, s.a.id, s.a.receivedAt);
  await openObligation(s.manager, s.ctx, { obligation: 'verification', party: CNCERT, counterparty: s.a.from, caseKey: c.key, subject: s.a.from, level: c.level as EventLevel | null, openedBy: s.a.id, start: s.a.receivedAt }, s.now);
}

async function verificationResult(s: Step): Promise<void> {
  mustBeCncert(s, 'Art. 11(5)');
  let c = await caseByTaskNumber(s.manager, taskOf(s, true) as string, s.a);
  c = await attachMessage(s.manager, c, s.a, null, provinces(s.fields), s.now);
  const unit = optionalText(s.fields, 'disposingUnit');
  for (const o of await findOpen(s.manager, { obligation: 'verification', party: CNCERT, caseKey: c.key, ...(unit ? { subject: unit } : {}) })) await closeObligation(s.manager, o, s.a.id, s.a.receivedAt);
  await closeFollowups(s.manager, s.a, c.key);
}

async function domainDisposalRequest(s: Step): Promise<void> {
  mustBeCncert(s, 'Art. 11(2)');
  let c = await caseByTaskNumber(s.manager, taskOf(s, true) as string, s.a);
  c = await attachMessage(s.manager, c, s.a, levelField(s.a.type, s.fields) ?? null, [], s.now);
  await maybeRegrade(s, c, s.a.receivedAt);
}

async function domainDisposalFeedback(s: Step): Promise<void> {
  let c = await caseByTaskNumber(s.manager, taskOf(s, true) as string, s.a);
  c = await attachMessage(s.manager, c, s.a, null, [], s.now);
  for (const o of await findOpen(s.manager, { obligation: 'domain-disposal', party: s.a.from, caseKey: c.key })) await closeObligation(s.manager, o, s.a.id, s.a.receivedAt);
  await closeFollowups(s.manager, s.a, c.key);
}

async function monthlyGeneralSummary(s: Step): Promise<void> {
  mustBeCncert(s, 'Art. 10(3)');
  const month = monthField(s.a.type, s.fields, 'month');
  for (const o of await findOpen(s.manager, { obligation: 'monthly-general-summary', party: CNCERT, subject: monthSubject(month) })) await closeObligation(s.manager, o, s.a.id, s.a.receivedAt);
}

async function monthlyDisposalFeedback(s: Step): Promise<void> {
  const month = monthField(s.a.type, s.fields, 'month');
  for (const o of await findOpen(s.manager, { obligation: 'disposal-feedback', party: s.a.from, subject: monthSubject(month) })) await closeObligation(s.manager, o, s.a.id, s.a.receivedAt);
}

async function emergencyNotice(s: Step): Promise<void> {
  const standsFor = text(s.a.type, s.fields, 'standsFor');
  const party = text(s.a.type, s.fields, 'institution');
  const calledAt = instantField(s.a.type, s.fields, 'at');
  const task = taskOf(s, false);
  let c: CaseRow | null = null;
  if (task !== undefined) c = await attachMessage(s.manager, await caseByTaskNumber(s.manager, task, s.a), s.a, levelField(s.a.type, s.fields) ?? null, [], s.now);
  const met = await openObligationMetByNotice(s.manager, party, standsFor, c?.key ?? null, calledAt);
  await openObligation(s.manager, s.ctx, { obligation: 'written-followup', party, counterparty: followupOwedTo(s.a, party, met), caseKey: c?.key ?? null, subject: standsFor, discriminator: s.a.id, openedBy: s.a.id, start: calledAt }, s.now);
  // The phone call or e-mail meets the clock it answers, provisionally, at the time it was made.
  for (const o of met) await closeObligation(s.manager, o, s.a.id, calledAt, true);
}

/**
 * Whom the written form an EmergencyNotice announces is owed to (its written-followup's
 * counterparty), by who recorded the notice: the institution itself — its addressee; another
 * party that took the call (cncert logging an operator's call) — that party; the gateway (`mmgw`,
 * no party of the exchange: it only logged a call or an unsigned mail) — the notice's first copy,
 * which names whom the form is owed to, else whom the clock it meets is owed to (a VerificationResult
 * owed to an operator, which the notice may not copy).
 */
function followupOwedTo(a: AcceptedMessage, party: string, met: readonly ObligationRow[]): string | null {
  if (a.from === party) return a.to[0] ?? null;
  if (a.from !== GATEWAY_CODE) return a.from;
  return a.cc[0] ?? met.find((o) => o.counterparty !== null)?.counterparty ?? null;
}

async function contactUpdate(s: Step): Promise<void> {
  const effective = dateField(s.a.type, s.fields, 'effectiveDate');
  await openAndClose(s.manager, s.ctx, { obligation: 'contact-change', party: s.a.from, counterparty: 'miit', subject: s.a.id, start: effective }, s.a.id, s.a.receivedAt, s.now);
  await closeFollowups(s.manager, s.a, null);
}

const HANDLERS: Readonly<Record<string, (s: Step) => Promise<void>>> = {
  SampleReport: sampleReport,
  SampleIdentification: sampleIdentification,
  IncidentReport: incidentReport,
  IncidentReportBatch: incidentReportBatch,
  IncidentNotice: incidentNotice,
  DisposalFeedback: disposalFeedback,
  VerificationResult: verificationResult,
  DomainDisposalRequest: domainDisposalRequest,
  DomainDisposalFeedback: domainDisposalFeedback,
  MonthlyGeneralSummary: monthlyGeneralSummary,
  MonthlyDisposalFeedback: monthlyDisposalFeedback,
  EmergencyNotice: emergencyNotice,
  ContactUpdate: contactUpdate,
};

/**
 * Opens and closes the obligations an accepted message starts or meets (rules.md "Obligations
 * and deadlines"), ties it to its case, and re-grades the case when its figures call for it;
 * inside the caller's transaction. Throws `obligation.unknown-task`, `obligation.not-responsible`
 * or `obligation.bad-body` so the caller rolls back and rejects the message. Forms that start
 * or meet nothing (Receipt, Acknowledgement, Rejection) change nothing.
 */
export async function handleAcceptedMessage(manager: EntityManager, ctx: ObligationContext, a: AcceptedMessage, now: Date): Promise<void> {
  const handler = HANDLERS[a.type];
  if (!handler) return;
  await handler({ manager, ctx, a, fields: fieldsOf(a.type, a.body), now });
}

/** True for an IncidentReport that opens a new case (no task number): what the batched path handles. */
function opensIncident(a: AcceptedMessage): boolean {
  if (a.type !== 'IncidentReport' || a.taskNumber !== null) return false;
  const body = a.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  return optionalText(body as Fields, 'taskNumber') === undefined;
}

/** What one fresh IncidentReport writes, prepared before any statement runs. */
interface FreshIncident {
  readonly a: AcceptedMessage;
  readonly now: Date;
  readonly level: EventLevel;
  readonly discoveredAt: Date;
  readonly provinces: string[];
  readonly request: OpenRequest;
  readonly key: string;
}

/**
 * True when any of these is stored already: a case keyed by one of `ids`, a case_messages link of
 * one, an open written follow-up (of a phone call, Art. 15) of an IncidentReport by one of
 * `senders`, an obligation with one of `keys`. ONE statement (four EXISTS): it runs inside the
 * accept transaction, whose every round trip holds up all the submissions waiting for it.
 */
async function anyExisting(manager: EntityManager, ids: readonly string[], senders: readonly string[], keys: readonly string[]): Promise<boolean> {
  const o = (property: keyof ObligationRow & string) => columnsOf(manager, ObligationEntity, [property]);
  const [row] = (await manager.query(
    `SELECT EXISTS (SELECT 1 FROM ${tableOf(manager, CaseEntity)} WHERE ${columnsOf(manager, CaseEntity, ['key'])} IN (${placeholders(ids.length)})) AS a,`
    + ` EXISTS (SELECT 1 FROM ${tableOf(manager, CaseMessageEntity)} WHERE ${columnsOf(manager, CaseMessageEntity, ['caseKey'])} IN (${placeholders(ids.length)})) AS b,`
    + ` EXISTS (SELECT 1 FROM ${tableOf(manager, ObligationEntity)} WHERE ${o('state')} = ? AND ${o('obligation')} = ? AND ${o('subject')} = ? AND ${o('party')} IN (${placeholders(senders.length)})) AS c,`
    + ` EXISTS (SELECT 1 FROM ${tableOf(manager, ObligationEntity)} WHERE ${o('key')} IN (${placeholders(keys.length)})) AS d`,
    [...ids, ...ids, 'open', 'written-followup', 'IncidentReport', ...senders, ...keys],
  )) as Record<'a' | 'b' | 'c' | 'd', unknown>[];
  return [row!.a, row!.b, row!.c, row!.d].some((v) => Number(v) !== 0);
}

/**
 * A run of IncidentReports that open new cases, handled together with one statement per table
 * (issue 4 item 8: the accept hook per batch, not per message). Leaves the end state exactly as
 * handleAcceptedMessage one by one in arrival order: a case keyed by the message with its
 * parties and provinces, the case_messages link, the report's own event-report obligation met at
 * the accept time (met-late past its deadline), and for level IV the month's obligations.
 * Returns false, having written nothing, when the run is not that simple — a case, link or
 * obligation of these keys exists already (a replay), or a written follow-up of a phone call is
 * open for one of the senders — and the caller handles the run one by one.
 */
async function reportFreshIncidents(manager: EntityManager, ctx: ObligationContext, items: readonly AcceptedAt[]): Promise<boolean> {
  const run = items.map((i) => i.accepted);
  const fresh: FreshIncident[] = items.map(({ accepted: a, now }) => {
    // The same checks, in the same order, as incidentReport then reportEvent.
    const fields = fieldsOf(a.type, a.body);
    const level = requiredLevel(a.type, fields);
    const discoveredAt = instantField(a.type, fields, 'discoveredAt', 'discoveredAt');
    const byCncert = a.from === CNCERT;
    const request: OpenRequest = {
      obligation: byCncert ? 'cncert-event-report' : 'event-report', party: a.from, counterparty: level === 'IV' && !byCncert ? CNCERT : 'miit',
      caseKey: a.id, level, openedBy: null, start: discoveredAt,
    };
    return { a, now, level, discoveredAt, provinces: provinces(fields), request, key: obligationKey(request) };
  });
  const ids = [...new Set(run.map((a) => a.id))];
  if (ids.length !== run.length) return false;
  if (await anyExisting(manager, ids, [...new Set(run.map((a) => a.from))], fresh.map((f) => f.key))) return false;

  const starts = fresh.map((f) => f.discoveredAt.getTime());
  const periods = await specialPeriodsBetween(manager, new Date(Math.min(...starts)), new Date(Math.max(...starts)));
  const cases: CaseRow[] = [];
  const links: CaseMessageRow[] = [];
  const obligations: Array<Omit<ObligationRow, 'id'>> = [];
  for (const f of fresh) {
    const { a, level, now } = f;
    const own = [...new Set(f.provinces)];
    cases.push({
      key: a.id, taskNumber: null, kind: 'incident', level, provinces: own, parties: [...new Set([a.from, ...a.to, ...a.cc])], legalHold: false,
      levelHistory: [{ from: null, to: level, at: now.toISOString(), messageId: a.id }], openedAt: now, updatedAt: now,
    });
    links.push({ caseKey: a.id, messageId: a.id, type: a.type, fromCode: a.from, level, acceptedAt: a.receivedAt });
    const due = dueWith(ctx, f.request.obligation, f.discoveredAt, level, periodsAt(periods, f.discoveredAt));
    // No phone call came first (checked above): the report meets its clock when the gateway accepted it.
    const metAt = a.receivedAt;
    obligations.push({
      key: f.key, obligation: f.request.obligation, party: a.from, counterparty: f.request.counterparty ?? null, caseKey: a.id, subject: null, level, openedBy: null,
      start: f.discoveredAt, due: due.due, dueProvisional: due.provisional, specialPeriod: due.specialPeriod ?? null,
      state: due.due === null || metAt.getTime() <= due.due.getTime() ? 'met' : 'met-late', waivedReason: null, closedBy: a.id, closedAt: metAt, provisional: false,
      levelHistory: [], nextAlertAt: null, openedAt: now,
    });
  }
  await insertRows(manager, CaseEntity, cases);
  await insertRows(manager, CaseMessageEntity, links);
  await insertRows(manager, ObligationEntity, obligations as ObligationRow[]);
  // Level IV: the month's obligations, shared by the reports of a month (openObligation is
  // idempotent by key, so the first report of each month opens them, as one by one).
  const monthly = new Set<string>();
  for (const f of fresh) {
    if (f.level !== 'IV') continue;
    const once = `${f.a.from}|${beijingMonth(f.discoveredAt)}`;
    if (monthly.has(once)) continue;
    monthly.add(once);
    await openMonthly({ manager, ctx, a: f.a, fields: fieldsOf(f.a.type, f.a.body), now: f.now }, f.a.from, f.discoveredAt);
  }
  return true;
}

/**
 * handleAcceptedMessage for the messages of one accept transaction, in arrival order, with the
 * same end state: runs of IncidentReports that open new cases are written together (a few
 * statements for the run instead of ~16 per message), every other message one by one.
 */
export async function handleAcceptedMessages(manager: EntityManager, ctx: ObligationContext, list: readonly AcceptedAt[]): Promise<void> {
  let i = 0;
  while (i < list.length) {
    let j = i;
    while (j < list.length && opensIncident(list[j]!.accepted)) j += 1;
    if (j > i) {
      const run = list.slice(i, j);
      if (!(await reportFreshIncidents(manager, ctx, run))) {
        for (const { accepted, now } of run) await handleAcceptedMessage(manager, ctx, accepted, now);
      }
      i = j;
    } else {
      await handleAcceptedMessage(manager, ctx, list[i]!.accepted, list[i]!.now);
      i += 1;
    }
  }
}
