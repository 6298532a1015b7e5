import { In, type DataSource } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
import type { Clock } from '../../gateway/clock';
import { complianceFor } from '../../gateway/compliance';
import { deliveryRef } from '../../gateway/deliveries';
import { CaseEntity, caseView, pageObligations, type ListedObligation } from '../../gateway/obligations';
import type { CaseJson, ObligationJson, ObligationsPort } from './obligation-ports';

const isoOrNull = (d: Date | null): string | null => (d === null ? null : d.toISOString());

/** An obligation row as the API shows it (without the scheduler's bookkeeping). */
export function obligationJson(o: ListedObligation, taskNumber: string | null): ObligationJson {
  return {
    id: o.id, obligation: o.obligation, party: o.party, counterparty: o.counterparty, caseKey: o.caseKey, taskNumber, subject: o.subject, level: o.level,
    state: o.state, overdue: o.overdue, start: o.start.toISOString(), due: isoOrNull(o.due), dueProvisional: o.dueProvisional, specialPeriod: o.specialPeriod,
    openedBy: o.openedBy, closedBy: o.closedBy, closedAt: isoOrNull(o.closedAt), waivedReason: o.waivedReason, provisional: o.provisional, levelHistory: o.levelHistory,
  };
}

/** GET /v1/cases, /v1/obligations and /v1/compliance on gateway/obligations and gateway/compliance; `now` from the clock. */
export function coreObligations(o: { readonly dataSource: DataSource; readonly clock: Clock }): ObligationsPort {
  return {
    async caseView(q): Promise<CaseJson | undefined> {
      let view;
      try {
        view = await caseView(o.dataSource.manager, q.taskNumber, q.caller);
      } catch (e) {
        // A stranger learns nothing, not even that the case exists.
        if (e instanceof GatewayError && (e.code === 'obligation.unknown-case' || e.code === 'obligation.not-a-party')) return undefined;
        throw e;
      }
      const now = o.clock.now().getTime();
      const c = view.case;
      return {
        taskNumber: c.taskNumber, key: c.key, kind: c.kind, level: c.level, provinces: c.provinces, parties: c.parties, legalHold: c.legalHold,
        levelHistory: c.levelHistory, openedAt: c.openedAt.toISOString(), updatedAt: c.updatedAt.toISOString(),
        messages: view.messages.map((m) => ({ ...m, sentAt: m.sentAt.toISOString(), acceptedAt: m.acceptedAt.toISOString() })),
        deliveries: view.deliveries.map((d) => ({
          deliveryId: deliveryRef(d.id), messageId: d.messageId, recipient: d.recipientCode, role: d.role, channel: d.channel, status: d.status,
          queuedAt: d.queuedAt.toISOString(), sentAt: isoOrNull(d.sentAt), acknowledgedAt: isoOrNull(d.acknowledgedAt),
        })),
        obligations: view.obligations.map((r) => obligationJson({ ...r, overdue: r.state === 'open' && r.due !== null && r.due.getTime() < now }, c.taskNumber)),
      };
    },

    async obligations(q) {
      const now = o.clock.now();
      const page = await pageObligations(o.dataSource.manager, {
        party: q.caller, now, limit: q.limit,
        ...(q.state !== undefined && { state: q.state }), ...(q.overdue !== undefined && { overdue: q.overdue }),
        ...(q.obligation !== undefined && { obligation: q.obligation }), ...(q.caseRef !== undefined && { caseRef: q.caseRef }), ...(q.after !== undefined && { after: q.after }),
      });
      const keys = [...new Set(page.items.map((i) => i.caseKey).filter((k): k is string => k !== null))];
      const cases = keys.length === 0 ? [] : await o.dataSource.manager.find(CaseEntity, { where: { key: In(keys) }, select: { key: true, taskNumber: true } });
      const taskNumbers = new Map(cases.map((c) => [c.key, c.taskNumber]));
      return { asOf: now.toISOString(), items: page.items.map((i) => obligationJson(i, i.caseKey === null ? null : (taskNumbers.get(i.caseKey) ?? null))), next: page.next };
    },

    compliance: (q) => complianceFor(o.dataSource, { period: q.period, ...(q.unit !== undefined && { unit: q.unit }) }, q.caller, o.clock.now()),
  };
}
