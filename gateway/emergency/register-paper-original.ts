import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { appendAudit } from '../audit/append';
import type { Clock } from '../clock';
import { ObligationEntity, type ObligationRow } from '../obligations/entities/obligation';
import { closeObligation } from '../obligations/obligation-store';
import { isDuplicateKey } from '../store/dedupe';
import { isSqlite } from '../store/dialect';
import { MessageEntity } from '../store/entities/message';
import { transaction } from '../store/transaction';
import { parseBeijingTime } from './beijing-time';
import type { FieldError } from './phone-call';
import { PaperOriginalEntity } from './paper-original-entity';
import { scanTypeOf, type ScanType } from './scan-type';

/** What registering a paper original needs: the store and a clock. */
export interface PaperOriginalDeps {
  readonly dataSource: DataSource;
  readonly clock: Clock;
}

/** The paper original as a clerk entered it. */
export interface PaperOriginalInput {
  /** The EmergencyNotice (message id) the paper is the written form of. */
  readonly noticeId: string;
  /** 文号 as printed on the paper. */
  readonly documentNumber: string;
  /** When the paper arrived: Beijing time `YYYY-MM-DDTHH:MM` (or ISO 8601 with an offset). */
  readonly receivedAt: string;
  /** The scan; absent when none was uploaded. */
  readonly scan?: { readonly name: string; readonly bytes: Buffer };
  /** The console user registering it. */
  readonly registeredBy: string;
}

/** The paper-original checks' options. */
export interface PaperOriginalOptions {
  /**
   * The largest scan accepted, in bytes.
   * @defaultValue 10485760 (10 MiB)
   */
  readonly maxScanBytes?: number;
  /**
   * How far the received time may lie ahead of the gateway's clock, in ms.
   * @defaultValue 300000 (5 minutes)
   */
  readonly maxClockSkewMs?: number;
}

export const DEFAULT_PAPER_ORIGINAL_OPTIONS = { maxScanBytes: 10 * 1024 * 1024, maxClockSkewMs: 5 * 60_000 } as const;

/** What was registered. */
export interface RegisteredPaperOriginal {
  readonly id: number;
  readonly noticeId: string;
  readonly institution: string;
  readonly sha256: string;
  readonly mediaType: ScanType;
  /** The written-followup obligation as closed: `met`, or `met-late` when the paper came after its due time. */
  readonly followup: ObligationRow;
}

const ARTICLE = 'Art. 15';

/**
 * Registers the paper original of an EmergencyNotice (Art. 15: "后补书面材料") — its document
 * number (文号), when it arrived, and its scan (PDF, JPEG or PNG recognised from its bytes, at most
 * `maxScanBytes`, kept with its SHA-256) — and so closes the notice's `written-followup`
 * obligation at the received time: `met`, or `met-late` after its due time; the clocks the notice
 * met provisionally are confirmed (no longer provisional; still met at the call). ONE
 * transaction: the paper_originals row, the obligation changes and an audit entry
 * `paper-original` (actor: the user). Refusals, each changing nothing:
 * `emergency.unknown-notice` (no EmergencyNotice has that id), `emergency.bad-paper-original`
 * (every field at fault in `facts.errors`: document number, received time — unparseable, in the
 * future beyond the skew, before the call —, scan — missing, empty, too large, not PDF/JPEG/PNG),
 * `emergency.paper-original-exists` (a second registration, also when two race),
 * `emergency.followup-closed` (the signed form arrived first, or the follow-up was waived).
 */
export async function registerPaperOriginal(deps: PaperOriginalDeps, input: PaperOriginalInput, options: PaperOriginalOptions = {}): Promise<RegisteredPaperOriginal> {
  const ds = deps.dataSource;
  const now = deps.clock.now();
  const maxBytes = options.maxScanBytes ?? DEFAULT_PAPER_ORIGINAL_OPTIONS.maxScanBytes;
  const skew = options.maxClockSkewMs ?? DEFAULT_PAPER_ORIGINAL_OPTIONS.maxClockSkewMs;
  const noticeId = input.noticeId.trim();
  const message = noticeId === '' ? null : await ds.manager.findOne(MessageEntity, { select: { id: true, type: true }, where: { id: noticeId } });
  if (message === null || message.type !== 'EmergencyNotice') {
    throw new GatewayError('emergency.unknown-notice', `no EmergencyNotice has the id "${noticeId}"`, { field: 'notice', article: ARTICLE });
  }
  const followup = await ds.manager.findOne(ObligationEntity, { where: { obligation: 'written-followup', openedBy: noticeId } });
  if (followup === null) throw new GatewayError('emergency.unknown-notice', `the EmergencyNotice ${noticeId} has no written follow-up to close`, { field: 'notice', article: ARTICLE });

  const errors: FieldError[] = [];
  const bad = (field: string, text: string) => errors.push({ field, code: 'emergency.bad-paper-original', message: text, source: ARTICLE });
  const documentNumber = input.documentNumber.trim();
  if (documentNumber === '') bad('documentNumber', 'the document number (文号) of the paper original is needed');
  else if ([...documentNumber].length > 100) bad('documentNumber', 'the document number (文号) has more than 100 characters');
  const receivedAt = parseBeijingTime(input.receivedAt);
  if (input.receivedAt.trim() === '') bad('receivedAt', 'the time the paper original was received is needed (Beijing time)');
  else if (receivedAt === undefined) bad('receivedAt', `"${input.receivedAt.trim()}" is not a time: write YYYY-MM-DD HH:MM, Beijing time`);
  else if (receivedAt.getTime() > now.getTime() + skew) bad('receivedAt', `the paper original cannot have been received in the future (more than ${Math.round(skew / 60_000)} minutes after now)`);
  else if (receivedAt.getTime() < followup.start.getTime()) bad('receivedAt', 'the paper original cannot have been received before the phone call or e-mail it follows');
  const scan = input.scan;
  const type = scan && scan.bytes.length > 0 ? scanTypeOf(scan.bytes) : undefined;
  if (scan === undefined || scan.bytes.length === 0) bad('scan', 'the scan of the paper original is needed (PDF, JPEG or PNG)');
  else if (scan.bytes.length > maxBytes) bad('scan', `the scan has ${scan.bytes.length} bytes, more than the limit of ${maxBytes}`);
  else if (type === undefined) bad('scan', 'the scan is not a PDF, JPEG or PNG file (judged by its content, not its name)');
  if (errors.length > 0) {
    throw new GatewayError('emergency.bad-paper-original', `the paper original was not registered: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, { article: ARTICLE, errors });
  }

  const bytes = scan!.bytes;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const fileName = [...scan!.name.replace(/[\\/\p{Cc}]/gu, '_')].slice(-255).join('') || `scan`;
  try {
    return await transaction(ds, async (m) => {
      // The follow-up as it stands now, locked on MySQL so a signed form or a second clerk waits.
      const qb = m.createQueryBuilder(ObligationEntity, 'o').where('o.id = :id', { id: followup.id });
      const current = await (isSqlite(m) ? qb : qb.setLock('pessimistic_write')).getOneOrFail();
      if ((await m.count(PaperOriginalEntity, { where: { noticeId } })) > 0) throw exists(noticeId);
      if (current.state !== 'open') {
        throw new GatewayError('emergency.followup-closed', `the written follow-up of ${noticeId} is ${current.state} already${current.closedBy ? ` (by ${current.closedBy})` : ''}: no paper original is needed`, { field: 'notice', state: current.state, closedBy: current.closedBy, article: ARTICLE });
      }
      const inserted = await m.insert(PaperOriginalEntity, {
        noticeId, institution: current.party, documentNumber, receivedAt: receivedAt!, fileName, mediaType: type!, size: bytes.length, sha256, bytes,
        registeredBy: input.registeredBy.slice(0, 64), registeredAt: now,
      });
      const id = Number(inserted.identifiers[0]?.id);
      const closed = await closeObligation(m, current, `paper:${documentNumber}`.slice(0, 128), receivedAt!);
      // The clocks the notice met provisionally: the written form is here, they stand (met at the call).
      const confirmed = await m.find(ObligationEntity, { where: { party: current.party, closedBy: noticeId, provisional: true } });
      for (const o of confirmed) await m.update(ObligationEntity, { id: o.id }, { provisional: false });
      await appendAudit(m, {
        kind: 'paper-original', actor: input.registeredBy.slice(0, 64), subject: noticeId,
        details: { institution: current.party, documentNumber, receivedAt: receivedAt!.toISOString(), sha256, size: bytes.length, mediaType: type!, fileName, followup: closed.state, obligationId: current.id, confirmed: confirmed.map((o) => o.id) },
      }, now);
      return { id, noticeId, institution: current.party, sha256, mediaType: type!, followup: closed };
    });
  } catch (e) {
    if (isDuplicateKey(e)) throw exists(noticeId);
    throw e;
  }
}

function exists(noticeId: string): GatewayError {
  return new GatewayError('emergency.paper-original-exists', `a paper original is registered for ${noticeId} already; a second one is not accepted`, { field: 'notice', article: ARTICLE });
}
