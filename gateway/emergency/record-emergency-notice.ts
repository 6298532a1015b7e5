import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { encode } from '../../contracts/codec/encode';
import { CONTRACT_VERSION } from '../../contracts/envelope';
import { GatewayError } from '../../contracts/errors/gateway-error';
import type { ErrorCode } from '../../contracts/errors/registry';
import { validate } from '../../contracts/validation/validate';
import { appendAudit } from '../audit/append';
import type { Clock } from '../clock';
import { GATEWAY_CODE, type GatewayIdentity } from '../identity/gateway-identity';
import { mediaTypeOf, signedReceipt } from '../intake/gateway-documents';
import type { RuleError, SignedBytes } from '../intake/options';
import { acceptWriter } from '../intake/write-accepts';
import { ObligationEntity } from '../obligations/entities/obligation';
import type { CoreHooks } from '../obligations/hooks';
import { Registry } from '../registry/registry';
import { signDocument } from '../signing/documents';
import { isDuplicateKey } from '../store/dedupe';
import { MessageEntity } from '../store/entities/message';
import { transaction } from '../store/transaction';
import { standsForOf, type StandsFor, type WrittenForm } from './stands-for';

/** What the gateway needs to record an EmergencyNotice: the store, its own credential, a clock and the obligations hooks (the same as intake's). */
export interface EmergencyDeps {
  readonly dataSource: DataSource;
  readonly identity: GatewayIdentity;
  readonly clock: Clock;
  readonly hooks: CoreHooks;
  /** The registry reader; one is made on the data source when absent. */
  readonly registry?: Registry;
}

/** A notice that reached the gateway over an unsigned channel: a phone call logged by a clerk, or an e-mail from a registered contact. */
export interface UnsignedNotice {
  /** The institution the caller speaks for (its registered contact called or wrote). */
  readonly institution: string;
  readonly channel: 'phone' | 'email';
  /** Who called or wrote (Art. 17 contact: name, phone, mobile, e-mail as registered). */
  readonly caller: { readonly name: string; readonly phone?: string; readonly mobile?: string; readonly email?: string };
  /** When the call was made or the mail reached the gateway's mailbox: the clock it answers is met (provisionally) then. */
  readonly at: Date;
  /** What was said or written (clipped to the form's 4,000 characters). */
  readonly summary: string;
  /** Who logged it: the clerk's name, or the gateway's e-mail intake (at most 50 characters). */
  readonly recordedBy: string;
  /** The written form it stands for, when the clerk knows; otherwise decided by {@link standsForOf}. */
  readonly standsFor?: WrittenForm;
  readonly taskNumber?: string;
  readonly level?: 'I' | 'II' | 'III' | 'IV';
  /** Text searched for a task number of the institution's open cases (a mail's subject and body). */
  readonly hint?: string;
  readonly remarks?: string;
  /**
   * What makes this notice itself, so the same notice recorded twice (a mail fetched again, a
   * form posted twice) is recorded once: a mail's Message-ID, the console's log entry id.
   */
  readonly key: string;
}

/** What recording answered. */
export type EmergencyOutcome =
  | {
    readonly recorded: true;
    /** False when this notice (same institution and key) had been recorded before: nothing was written now. */
    readonly duplicate: boolean;
    readonly messageId: string;
    /** The signed EmergencyNotice (JWS, signed by the gateway as recorder), as stored and routed. */
    readonly document: SignedBytes;
    readonly standsFor: WrittenForm;
    readonly taskNumber?: string;
    readonly to: readonly string[];
    readonly cc: readonly string[];
    /** When the signed written form is due (the `written-followup` obligation). */
    readonly followupDue?: Date;
  }
  | { readonly recorded: false; readonly code: ErrorCode; readonly errors: readonly RuleError[] };

/** Routing table, EmergencyNotice: to the caller's institution, may also include miit, cncert and the provincial administrations. */
const MAY_COPY = (code: string) => code === 'miit' || code === 'cncert' || code.startsWith('ca-');

const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');
/** Drops the control characters XML cannot carry (keeps tab and line breaks). */
const printable = (s: string): string => [...s].filter((c) => { const n = c.codePointAt(0)!; return n === 9 || n === 10 || n === 13 || (n >= 32 && n !== 127); }).join('');
const clip = (s: string, n: number): string => { const t = printable(s).trim(); return [...t].length > n ? `${[...t].slice(0, n - 1).join('')}…` : t; };

/** The message id of a notice: stable for its institution and key, so a repeat is recognised. */
export function emergencyNoticeId(institution: string, key: string): string {
  return `${GATEWAY_CODE}-en-${sha256(`${institution}\n${key}`).slice(0, 32)}`;
}

/** The written-followup obligation the notice opened (its due time, and the form it stands for as its subject). */
async function followupOf(ds: DataSource, messageId: string): Promise<{ due?: Date; standsFor?: WrittenForm }> {
  const row = await ds.manager.findOne(ObligationEntity, { where: { obligation: 'written-followup', openedBy: messageId } });
  return { ...(row?.due ? { due: row.due } : {}), ...(row?.subject ? { standsFor: row.subject as WrittenForm } : {}) };
}

/**
 * Records an EmergencyNotice (Art. 15) on behalf of `notice.institution` from an unsigned channel —
 * a phone call logged by a clerk or an e-mail from a registered contact — RECORDED BY THE
 * GATEWAY: the document says `from: mmgw` and is signed with the gateway's own credential (the
 * caller signed nothing; the gateway vouches only that it logged the call or mail), `to` the
 * caller's institution, `cc` whom the written form is owed to. It is written the way intake
 * accepts a message, in ONE transaction: the `messages` row with the signed bytes, a Receipt
 * row, the obligations hook (opens `written-followup` for the institution and meets the clock
 * it stands for provisionally, at `notice.at`), the outbox row `message.accepted.EmergencyNotice`
 * (so routing delivers it to its recipients) and the audit entry `accept` (actor `mmgw`, with
 * the channel and the institution). The same institution and key answer the stored notice
 * without writing anything. A refusal (unknown institution, no written form it can stand for,
 * a field the form cannot carry, an unknown task) writes one audit entry `reject` and nothing
 * else. Throws only when a service (the database) fails.
 */
export async function recordEmergencyNotice(deps: EmergencyDeps, notice: UnsignedNotice): Promise<EmergencyOutcome> {
  const ds = deps.dataSource;
  const id = emergencyNoticeId(notice.institution, notice.key);
  const existing = await ds.manager.findOne(MessageEntity, { where: { id } });
  if (existing !== null) return repeat(ds, existing);

  const now = deps.clock.now();
  const refuse = async (code: ErrorCode, errors: RuleError[]): Promise<EmergencyOutcome> => {
    await transaction(ds, (m) => appendAudit(m, { kind: 'reject', actor: GATEWAY_CODE, subject: id, details: { type: 'EmergencyNotice', channel: notice.channel, institution: notice.institution.slice(0, 64), codes: errors.map((e) => e.code) } }, now));
    return { recorded: false, code, errors };
  };
  const registry = deps.registry ?? new Registry(ds, { clock: deps.clock });
  if ((await registry.missing([notice.institution])).length > 0) {
    return refuse('emergency.unknown-institution', [{ code: 'emergency.unknown-institution', path: 'body.institution', message: `${notice.institution} is not an institution of the registry`, source: 'Art. 15' }]);
  }
  const stands = await standsForOf(ds.manager, notice.institution, {
    ...(notice.standsFor ? { form: notice.standsFor } : {}), ...(notice.taskNumber ? { taskNumber: notice.taskNumber } : {}),
    ...(notice.level ? { level: notice.level } : {}), ...(notice.hint ? { hint: notice.hint } : {}),
  });
  if (stands === undefined) {
    return refuse('emergency.no-written-form', [{ code: 'emergency.no-written-form', path: 'body.standsFor', message: `${notice.institution} owes no IncidentReport, IncidentNotice, DisposalFeedback or VerificationResult that a phone call or e-mail could announce first; send the signed form itself`, source: 'Art. 15' }]);
  }
  const cc = [...new Set(stands.owedTo.filter((c) => c !== notice.institution && MAY_COPY(c)))];
  const missingCc = new Set(await registry.missing(cc));
  const doc = buildDocument(id, notice, stands, cc.filter((c) => !missingCc.has(c)), now);
  const checked = validate(doc);
  if (checked.errors.length > 0) {
    return refuse('emergency.invalid-notice', checked.errors.map((e) => ({ code: e.code, ...(e.path ? { path: e.path } : {}), message: e.message, source: e.source })));
  }
  const value = checked.value;
  const bytes = Buffer.from(await signDocument(encode(value, 'json'), deps.identity.credential));
  const hash = sha256(bytes);
  const to = value.to as string[];
  const ccCodes = (value.cc ?? []) as string[];
  const receipt = await signedReceipt({ messageId: id, sender: GATEWAY_CODE, sha256: hash, acceptedAt: now, recipients: [...new Set([...to, ...ccCodes])] }, 'json', deps.identity);
  const sentAt = new Date(String(value.sentAt));
  const taskNumber = stands.taskNumber ?? null;
  try {
    await transaction(ds, (m) => acceptWriter(deps.hooks)(m, [{
      now,
      message: { id, type: 'EmergencyNotice', version: CONTRACT_VERSION, fromCode: GATEWAY_CODE, toCodes: to, ccCodes, sentAt, taskNumber, inReplyTo: null, format: 'json', bytes, hash, size: bytes.length, acceptedAt: now },
      receipt: { id: receipt.id, kind: 'receipt', messageId: id, issuerCode: GATEWAY_CODE, bytes: receipt.signed.bytes, hash: sha256(receipt.signed.bytes), subjectHash: hash, createdAt: now },
      accepted: { id, type: 'EmergencyNotice', from: GATEWAY_CODE, to, cc: ccCodes, sentAt, taskNumber, inReplyTo: null, body: value.body, receivedAt: now },
      outbox: { topic: 'message.accepted.EmergencyNotice', messageId: `accepted:${id}`, payload: Buffer.from(JSON.stringify({ messageId: id })) },
      audit: { kind: 'accept', actor: GATEWAY_CODE, subject: id, details: { type: 'EmergencyNotice', hash, size: bytes.length, format: 'json', to, cc: ccCodes, receiptId: receipt.id, channel: notice.channel, institution: notice.institution, standsFor: stands.form, unsigned: true } },
    }]));
  } catch (e) {
    if (isDuplicateKey(e)) {
      const raced = await ds.manager.findOne(MessageEntity, { where: { id } });
      if (raced !== null) return repeat(ds, raced);
    }
    if (e instanceof GatewayError) {
      // The obligations hook refused it (an unknown task, a bad body): rolled back, nothing kept.
      const path = typeof e.facts.field === 'string' ? `body.${e.facts.field}` : undefined;
      return refuse(e.code as ErrorCode, [{ code: e.code, ...(path ? { path } : {}), message: e.message, source: 'Art. 15' }]);
    }
    throw e;
  }
  const { due } = await followupOf(ds, id);
  return { recorded: true, duplicate: false, messageId: id, document: { bytes, mediaType: mediaTypeOf('json') }, standsFor: stands.form, ...(stands.taskNumber ? { taskNumber: stands.taskNumber } : {}), to, cc: ccCodes, ...(due ? { followupDue: due } : {}) };
}

function buildDocument(id: string, notice: UnsignedNotice, stands: StandsFor, cc: string[], now: Date): Record<string, unknown> {
  const caller: Record<string, string> = { name: clip(notice.caller.name, 50) || (notice.caller.email ?? '?').slice(0, 50) };
  for (const k of ['phone', 'mobile', 'email'] as const) if (notice.caller[k]) caller[k] = notice.caller[k]!.trim();
  const how = stands.how === 'open-obligation'
    ? `网关按 ${notice.institution} 的未完成时限判定其对应${stands.taskNumber ? `任务 ${stands.taskNumber} 的` : ''} ${stands.form}。The gateway matched it to ${notice.institution}'s open ${stands.form} clock${stands.taskNumber ? ` of task ${stands.taskNumber}` : ''}.`
    : stands.how === 'default' ? `未指明对应表格，按新事件首报登记为 ${stands.form}。No form was named: recorded as a first report (${stands.form}).` : undefined;
  const remarks = [notice.remarks, how].filter((s): s is string => s !== undefined && s.trim() !== '').join('\n');
  return {
    id, type: 'EmergencyNotice', version: CONTRACT_VERSION, from: GATEWAY_CODE, to: [notice.institution], ...(cc.length > 0 ? { cc } : {}),
    sentAt: now.toISOString(),
    ...(stands.taskNumber ? { references: { taskNumber: stands.taskNumber } } : {}),
    body: {
      channel: notice.channel,
      caller,
      institution: notice.institution,
      at: notice.at.toISOString(),
      standsFor: stands.form,
      ...(stands.taskNumber ? { taskNumber: stands.taskNumber } : {}),
      ...(stands.level ? { level: stands.level } : {}),
      summary: clip(notice.summary, 4000) || '（无正文 / no text）',
      recordedBy: clip(notice.recordedBy, 50),
      ...(remarks ? { remarks: clip(remarks, 2000) } : {}),
    },
  };
}

async function repeat(ds: DataSource, row: { id: string; bytes: Buffer; toCodes: string[]; ccCodes: string[]; taskNumber: string | null }): Promise<EmergencyOutcome> {
  const { due, standsFor } = await followupOf(ds, row.id);
  return {
    recorded: true, duplicate: true, messageId: row.id, document: { bytes: Buffer.from(row.bytes), mediaType: mediaTypeOf('json') }, standsFor: standsFor ?? 'IncidentReport',
    ...(row.taskNumber ? { taskNumber: row.taskNumber } : {}), to: row.toCodes, cc: row.ccCodes, ...(due ? { followupDue: due } : {}),
  };
}
