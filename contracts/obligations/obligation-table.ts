import type { DueSpec } from './due-rule';

/**
 * Every obligation of the mechanism with its clock, as declared in rules.md "Obligations and
 * deadlines". Deadline code computes from this table; the gateway core opens and closes
 * obligations from it. Parties: `miit`, `ca-NN` (the relevant provincial Communications
 * Administrations), `cncert`, `op-*` operators, `dr-*` / `rr-*` domain registries/registrars.
 */
export interface ObligationDeclaration {
  readonly id: string;
  /** The clause of the mechanism, e.g. `Art. 9(1)`. */
  readonly article: string;
  /** Who owes it. */
  readonly who: readonly string[];
  /** To whom. */
  readonly to: readonly string[];
  /** In copy. */
  readonly cc: readonly string[];
  /** The form or message that meets it. */
  readonly form: string;
  /** What starts the clock, as a stable key. */
  readonly startsOn: string;
  /** What starts the clock, in words. */
  readonly startsAt: string;
  /** The form whose receipt starts the clock; null when an event outside the gateway does. */
  readonly openedBy: string | null;
  /** The forms (names as in contracts/forms) that meet the obligation; empty when none does. */
  readonly closedBy: readonly string[];
  /** The deadline. */
  readonly due: DueSpec;
  /** Anything the columns above cannot say. */
  readonly note?: string;
}

const hours = (h: number) => ({ kind: 'hours', hours: h }) as const;
const wd = (days: number) => ({ kind: 'working-days', days }) as const;
const monthly = { kind: 'monthly', dayOfNextMonth: 10, default: true } as const;

/** The declared obligations, in the order of rules.md. */
export const OBLIGATIONS = [
  {
    id: 'sample-report',
    article: 'Art. 9(1)',
    who: ['op-*'],
    to: ['cncert'],
    cc: [],
    form: 'SampleReport (Annex 1) + sample file + analysis',
    startsOn: 'sample-obtained',
    startsAt: 'sample first obtained/discovered',
    openedBy: null,
    closedBy: ['SampleReport'],
    due: wd(3),
  },
  {
    id: 'sample-identification',
    article: 'Art. 9(2)',
    who: ['cncert'],
    to: ['each reporting unit'],
    cc: ['ca-NN'],
    form: 'SampleIdentification (Annex 2) with disposal advice',
    startsOn: 'sample-report-received',
    startsAt: 'SampleReport received',
    openedBy: 'SampleReport',
    closedBy: ['SampleIdentification'],
    due: wd(5),
  },
  {
    id: 'event-report',
    article: 'Art. 10(2)',
    who: ['op-*'],
    to: ['miit'],
    cc: ['ca-NN', 'cncert'],
    form: 'IncidentReport (Annex 3)',
    startsOn: 'event-discovered',
    startsAt: 'event discovered',
    openedBy: null,
    closedBy: ['IncidentReport', 'IncidentReportBatch'],
    due: { byLevel: { I: hours(2), II: hours(2), III: hours(4), IV: { kind: 'working-days', days: 1, default: true } } },
    note: 'level IV: to cncert only, over the agreed electronic interface, batches allowed',
  },
  {
    id: 'cncert-event-report',
    article: 'Art. 10(3)',
    who: ['cncert'],
    to: ['miit'],
    cc: ['ca-NN'],
    form: 'IncidentReport (Annex 3 fields)',
    startsOn: 'event-learned-by-cncert',
    startsAt: 'cncert discovers/learns of event',
    openedBy: null,
    closedBy: ['IncidentReport'],
    due: {
      byLevel: {
        I: hours(2),
        II: hours(2),
        III: hours(4),
        IV: { kind: 'none', reason: 'level IV events are not reported one by one; cncert summarises them monthly (monthly-general-summary)' },
      },
    },
  },
  {
    id: 'event-notice',
    article: 'Art. 10(3)',
    who: ['miit', 'cncert'],
    to: ['units concerned'],
    cc: [],
    form: 'IncidentNotice (Annex 4), carries the task number',
    startsOn: 'none',
    startsAt: '— (no deadline for the notifier; its receipt starts disposal-feedback)',
    openedBy: null,
    closedBy: ['IncidentNotice'],
    due: { kind: 'none', reason: 'the mechanism sets no deadline for the notifier; the notice starts disposal-feedback' },
  },
  {
    id: 'monthly-general-summary',
    article: 'Art. 10(3)',
    who: ['cncert'],
    to: ['units concerned'],
    cc: [],
    form: 'MonthlyGeneralSummary (level IV events of the month)',
    startsOn: 'month-end',
    startsAt: 'month end',
    openedBy: null,
    closedBy: ['MonthlyGeneralSummary'],
    due: monthly,
  },
  {
    id: 'disposal-feedback',
    article: 'Art. 11(4)',
    who: ['disposing unit'],
    to: ['cncert'],
    cc: [],
    form: 'DisposalFeedback (Annex 5); level IV: MonthlyDisposalFeedback spreadsheet',
    startsOn: 'notice-received',
    startsAt: 'IncidentNotice received by that unit; level IV: month end',
    openedBy: 'IncidentNotice',
    closedBy: ['DisposalFeedback', 'MonthlyDisposalFeedback'],
    due: { byLevel: { I: hours(2), II: hours(2), III: hours(4), IV: monthly } },
  },
  {
    id: 'domain-disposal',
    article: 'Art. 11(2)(3)',
    who: ['dr-*', 'rr-*'],
    to: ['cncert'],
    cc: [],
    form: 'DomainDisposalRequest / DomainDisposalFeedback',
    startsOn: 'request-received',
    startsAt: 'request received',
    openedBy: 'DomainDisposalRequest',
    closedBy: ['DomainDisposalFeedback'],
    due: { kind: 'same-as', obligation: 'disposal-feedback', reason: "same clock as the event's disposal-feedback" },
    note: 'foreign domains: a cncert coordination record instead',
  },
  {
    id: 'verification',
    article: 'Art. 11(5)',
    who: ['cncert'],
    to: ['miit', 'ca-NN', 'disposing unit'],
    cc: [],
    form: 'VerificationResult',
    startsOn: 'disposal-feedback-received',
    startsAt: 'DisposalFeedback received',
    openedBy: 'DisposalFeedback',
    closedBy: ['VerificationResult'],
    due: { byLevel: { I: hours(2), II: hours(2), III: hours(4), IV: { kind: 'none', reason: 'the mechanism sets no verification deadline for level IV' } } },
  },
  {
    id: 'user-notice',
    article: 'Art. 11(1)',
    who: ['op-*'],
    to: ['affected users (outside the gateway)'],
    cc: [],
    form: 'count reported in DisposalFeedback',
    startsOn: 'none',
    startsAt: '—',
    openedBy: null,
    closedBy: ['DisposalFeedback'],
    due: { kind: 'none', reason: 'users are informed outside the gateway; the count travels in DisposalFeedback' },
  },
  {
    id: 'written-followup',
    article: 'Art. 15',
    who: ['whoever notified by phone/e-mail first'],
    to: ['the recipient of that notice'],
    cc: [],
    form: 'the unified written form of that notice',
    startsOn: 'phone-or-email',
    startsAt: 'the phone call / e-mail',
    openedBy: 'EmergencyNotice',
    closedBy: [],
    due: { kind: 'working-days', days: 1, default: true },
    note: 'the regulation sets no deadline; 1 wd is the gateway default. Closed by the signed written form of the notice the EmergencyNotice announced.',
  },
  {
    id: 'contact-change',
    article: 'Art. 17',
    who: ['any unit'],
    to: ['miit'],
    cc: ['cncert'],
    form: 'ContactUpdate',
    startsOn: 'change-effective',
    startsAt: 'the change takes effect',
    openedBy: null,
    closedBy: ['ContactUpdate'],
    due: wd(3),
  },
  {
    id: 'retention',
    article: 'Art. 12',
    who: ['every party'],
    to: [],
    cc: [],
    form: 'all monitored/disposed data',
    startsOn: 'record-created',
    startsAt: 'record created',
    openedBy: null,
    closedBy: [],
    due: { kind: 'calendar-days', days: 60, default: true },
    note: 'keep 60 days, then purge the content and keep a hash stub; the due instant is when the purge is due, and the purge closes it',
  },
] as const satisfies readonly ObligationDeclaration[];

/** The id of a declared obligation. */
export type ObligationId = (typeof OBLIGATIONS)[number]['id'];

/** Every obligation id, in the order of rules.md. */
export const OBLIGATION_IDS: readonly ObligationId[] = OBLIGATIONS.map((o) => o.id);

/** True when `id` is a declared obligation id. */
export function isObligationId(id: string): id is ObligationId {
  return (OBLIGATION_IDS as readonly string[]).includes(id);
}

/** The declaration of `id`. */
export function obligationDeclaration(id: ObligationId): ObligationDeclaration {
  return OBLIGATIONS.find((o) => o.id === id) as ObligationDeclaration;
}
