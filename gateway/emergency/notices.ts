import { In, type DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { decode } from '../../contracts/codec/decode';
import { ObligationEntity, type ObligationRow } from '../obligations/entities/obligation';
import { MessageEntity } from '../store/entities/message';
import { PaperOriginalEntity, type PaperOriginalRow } from './paper-original-entity';

/** Where a notice's written follow-up stands: open, overdue (open past its due time), met, met-late or waived. */
export type FollowupStanding = 'open' | 'overdue' | 'met' | 'met-late' | 'waived';

/** What an EmergencyNotice says and where its written follow-up stands. */
export interface EmergencyNoticeView {
  readonly messageId: string;
  readonly channel: 'phone' | 'email';
  readonly institution: string;
  readonly caller: { readonly name: string; readonly phone?: string; readonly mobile?: string; readonly email?: string };
  /** When the call was made or the mail received. */
  readonly at: Date;
  readonly standsFor: string;
  readonly taskNumber?: string;
  readonly level?: string;
  readonly summary: string;
  readonly recordedBy: string;
  readonly acceptedAt: Date;
  /** The `written-followup` obligation it opened (absent only for a notice recorded before Art. 15 tracking). */
  readonly followup?: ObligationRow;
  readonly standing?: FollowupStanding;
  /** The clocks the notice met provisionally (still waiting for the written form) or that the written form confirmed. */
  readonly met: readonly ObligationRow[];
  /** The registered paper original (without its bytes). */
  readonly paper?: Omit<PaperOriginalRow, 'bytes'>;
}

/** The standing of a written-followup obligation at `now`. */
export function followupStanding(o: Pick<ObligationRow, 'state' | 'due'>, now: Date): FollowupStanding {
  if (o.state === 'open') return o.due !== null && o.due.getTime() < now.getTime() ? 'overdue' : 'open';
  return o.state;
}

const PAPER_COLUMNS = { id: true, noticeId: true, institution: true, documentNumber: true, receivedAt: true, fileName: true, mediaType: true, size: true, sha256: true, registeredBy: true, registeredAt: true } as const;

function bodyOf(bytes: Buffer): Record<string, unknown> {
  const doc = decode(bytes).document as { body?: Record<string, unknown> } | undefined;
  return doc?.body ?? {};
}

function viewOf(message: { id: string; bytes: Buffer; acceptedAt: Date }, followup: ObligationRow | undefined, met: ObligationRow[], paper: Omit<PaperOriginalRow, 'bytes'> | undefined, now: Date): EmergencyNoticeView {
  const b = bodyOf(message.bytes);
  const s = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : undefined);
  const caller = (b.caller ?? {}) as EmergencyNoticeView['caller'];
  return {
    messageId: message.id, channel: s('channel') === 'email' ? 'email' : 'phone', institution: s('institution') ?? '', caller: { ...caller, name: caller.name ?? '' },
    at: new Date(s('at') ?? message.acceptedAt), standsFor: s('standsFor') ?? '', ...(s('taskNumber') && { taskNumber: s('taskNumber') }), ...(s('level') && { level: s('level') }),
    summary: s('summary') ?? '', recordedBy: s('recordedBy') ?? '', acceptedAt: message.acceptedAt,
    ...(followup && { followup, standing: followupStanding(followup, now) }), met, ...(paper && { paper }),
  };
}

/*
 * The obligations queries of the Art. 15 pages, each on an index of migration Art15Indexes (so
 * neither page reads the whole obligations table at issue 8's 100,000 obligations; the console
 * scale suite EXPLAINs them on SQLite and MariaDB): alias `o`.
 */

/** The written-followup obligations, of `institution` when given, newest call first (ix_obligations_obligation_start). */
export function followupsQuery(manager: EntityManager, institution?: string): SelectQueryBuilder<ObligationRow> {
  const qb = manager.createQueryBuilder(ObligationEntity, 'o').where('o.obligation = :obligation', { obligation: 'written-followup' });
  if (institution !== undefined) qb.andWhere('o.party = :party', { party: institution });
  return qb.orderBy('o.start', 'DESC').addOrderBy('o.id', 'DESC');
}

/** The written-followup obligation an EmergencyNotice opened (ix_obligations_opened_by). */
export function followupOfQuery(manager: EntityManager, messageId: string): SelectQueryBuilder<ObligationRow> {
  return manager.createQueryBuilder(ObligationEntity, 'o').where('o.openedBy = :messageId AND o.obligation = :obligation', { messageId, obligation: 'written-followup' });
}

/** The obligations that the given messages met, written-followup aside, oldest first (ix_obligations_closed_by). */
export function metByQuery(manager: EntityManager, messageIds: readonly string[]): SelectQueryBuilder<ObligationRow> {
  return manager.createQueryBuilder(ObligationEntity, 'o').where('o.closedBy IN (:...messageIds) AND o.obligation <> :obligation', { messageIds, obligation: 'written-followup' }).orderBy('o.id', 'ASC');
}

/** One EmergencyNotice by message id, with its follow-up, the clocks it met and its paper original; undefined when no EmergencyNotice has that id. */
export async function emergencyNoticeOf(ds: DataSource, messageId: string, now: Date): Promise<EmergencyNoticeView | undefined> {
  const message = await ds.manager.findOne(MessageEntity, { select: { id: true, type: true, bytes: true, acceptedAt: true }, where: { id: messageId } });
  if (message === null || message.type !== 'EmergencyNotice') return undefined;
  const followup = await followupOfQuery(ds.manager, messageId).getOne();
  const met = await metByQuery(ds.manager, followup?.closedBy ? [messageId, followup.closedBy] : [messageId]).getMany();
  const paper = await ds.manager.findOne(PaperOriginalEntity, { select: PAPER_COLUMNS, where: { noticeId: messageId } });
  return viewOf(message, followup ?? undefined, met, paper ?? undefined, now);
}

/**
 * The EmergencyNotices (phone calls and unsigned e-mails, Art. 15) by their written-followup
 * obligations, newest call first, of `institution` when given, paged; each with its standing.
 */
export async function emergencyNotices(ds: DataSource, query: { readonly institution?: string; readonly offset: number; readonly limit: number }, now: Date): Promise<{ readonly total: number; readonly notices: readonly EmergencyNoticeView[] }> {
  const [followups, total] = await followupsQuery(ds.manager, query.institution).offset(query.offset).limit(query.limit).getManyAndCount();
  const ids = followups.flatMap((o) => (o.openedBy === null ? [] : [o.openedBy]));
  if (ids.length === 0) return { total, notices: [] };
  const messages = await ds.manager.find(MessageEntity, { select: { id: true, bytes: true, acceptedAt: true }, where: { id: In(ids), type: 'EmergencyNotice' } });
  const papers = await ds.manager.find(PaperOriginalEntity, { select: PAPER_COLUMNS, where: { noticeId: In(ids) } });
  const byId = new Map(messages.map((m) => [m.id, m]));
  const notices = followups.flatMap((o) => {
    const m = byId.get(o.openedBy ?? '');
    return m ? [viewOf(m, o, [], papers.find((p) => p.noticeId === m.id), now)] : [];
  });
  return { total, notices };
}

/** The scan of the paper original of a notice (its bytes and what describes them); undefined when none is registered. */
export async function paperOriginalScan(ds: DataSource, noticeId: string): Promise<PaperOriginalRow | undefined> {
  return (await ds.manager.findOne(PaperOriginalEntity, { where: { noticeId } })) ?? undefined;
}
