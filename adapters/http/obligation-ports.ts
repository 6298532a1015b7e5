import type { ComplianceReport } from '../../gateway/compliance';

/**
 * What the case, obligations and compliance routes (issue 6 items 1, 2, 5) need from the core,
 * as one small port; `core-obligations.ts` binds it to gateway/obligations and gateway/compliance.
 * Instants are ISO 8601 strings in UTC: these are the JSON answers of the API.
 */

/** One obligation as the API shows it (rules.md "Obligations and deadlines"). */
export interface ObligationJson {
  readonly id: number;
  /** The obligation id of rules.md, e.g. `disposal-feedback`. */
  readonly obligation: string;
  /** Who owes it, and to whom. */
  readonly party: string;
  readonly counterparty: string | null;
  /** The case (its key), when the obligation belongs to one. */
  readonly caseKey: string | null;
  /** The case's task number, once a notice gave it one. */
  readonly taskNumber: string | null;
  /** What it is about inside the case: a sample, a month, the form an EmergencyNotice stands for. */
  readonly subject: string | null;
  readonly level: string | null;
  readonly state: 'open' | 'met' | 'met-late' | 'waived';
  /** Open and past its due instant now. */
  readonly overdue: boolean;
  readonly start: string;
  /** Null when the obligation has no deadline. */
  readonly due: string | null;
  /** The due instant was counted without calendar data (Monday–Friday). */
  readonly dueProvisional: boolean;
  /** The Art. 16 special period governing the due instant, if any. */
  readonly specialPeriod: string | null;
  readonly openedBy: string | null;
  readonly closedBy: string | null;
  readonly closedAt: string | null;
  readonly waivedReason: string | null;
  /** Met only by an EmergencyNotice so far; the signed form confirms it (Art. 15). */
  readonly provisional: boolean;
  readonly levelHistory: readonly { readonly from: string | null; readonly to: string; readonly at: string; readonly previousDue: string | null; readonly messageId: string }[];
}

/** One delivery of a message of a case. */
export interface CaseDeliveryJson {
  /** `dlv-…`, as in the mailbox. */
  readonly deliveryId: string;
  readonly messageId: string;
  readonly recipient: string;
  readonly role: 'to' | 'cc';
  readonly channel: string;
  readonly status: string;
  readonly queuedAt: string;
  readonly sentAt: string | null;
  readonly acknowledgedAt: string | null;
}

/** GET /v1/cases/{taskNumber}: every message, delivery and obligation of a case. */
export interface CaseJson {
  readonly taskNumber: string | null;
  /** The id of the message that opened the case (or the task number when a notice did). */
  readonly key: string;
  readonly kind: string;
  readonly level: string | null;
  readonly provinces: readonly string[];
  readonly parties: readonly string[];
  readonly legalHold: boolean;
  readonly levelHistory: readonly { readonly from: string | null; readonly to: string; readonly at: string; readonly messageId: string }[];
  readonly openedAt: string;
  readonly updatedAt: string;
  readonly messages: readonly { readonly id: string; readonly type: string; readonly from: string; readonly to: readonly string[]; readonly cc: readonly string[]; readonly sentAt: string; readonly acceptedAt: string; readonly level: string | null }[];
  readonly deliveries: readonly CaseDeliveryJson[];
  readonly obligations: readonly ObligationJson[];
}

/** The filters of GET /v1/obligations, already checked for form by the route. */
export interface ObligationsQuery {
  /** The calling institution: only the obligations it owes. */
  readonly caller: string;
  readonly state?: 'open' | 'met' | 'met-late' | 'waived';
  readonly overdue?: boolean;
  /** The obligation id of rules.md. */
  readonly obligation?: string;
  /** A task number or case key. */
  readonly caseRef?: string;
  readonly after?: string;
  readonly limit: number;
}

/** A page of obligations, due first; `next` is the cursor of the next page, null at the end. */
export interface ObligationsPage {
  /** The instant overdue was judged at. */
  readonly asOf: string;
  readonly items: readonly ObligationJson[];
  readonly next: string | null;
}

/** The cases, obligations and Art. 19 compliance of the core. Refusals are thrown as GatewayErrors with a registered code. */
export interface ObligationsPort {
  /** The case with this task number (or key), or undefined when there is none or `caller` is not one of its parties. */
  caseView(q: { readonly taskNumber: string; readonly caller: string }): Promise<CaseJson | undefined>;
  obligations(q: ObligationsQuery): Promise<ObligationsPage>;
  /** The Art. 19 report `caller` may read (miit and cncert: any unit; any other: its own). */
  compliance(q: { readonly period: string; readonly unit?: string; readonly caller: string }): Promise<ComplianceReport>;
}
