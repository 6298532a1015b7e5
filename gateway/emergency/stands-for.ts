import { In, type EntityManager } from 'typeorm';
import type { writtenForms } from '../../contracts/forms/emergency-notice';
import { OBLIGATIONS } from '../../contracts/obligations/obligation-table';
import { CaseEntity } from '../obligations/entities/case';
import { ObligationEntity } from '../obligations/entities/obligation';

/** A written form an Art. 15 phone call or e-mail may announce (level III and above notices and feedback). */
export type WrittenForm = (typeof writtenForms)[number];

const WRITTEN: readonly WrittenForm[] = ['IncidentReport', 'IncidentNotice', 'DisposalFeedback', 'VerificationResult'];

/** What an unsigned notice stands for, and what follows from it. */
export interface StandsFor {
  readonly form: WrittenForm;
  /** The task number of the case whose clock it meets (only one of a case this gateway knows). */
  readonly taskNumber?: string;
  readonly level?: string;
  /** Who the written form is owed to (the open obligation's counterparty, or the form's usual addressees). */
  readonly owedTo: readonly string[];
  /** How it was decided, for the record (remarks) and the reply. */
  readonly how: 'named' | 'open-obligation' | 'default';
}

/** The obligations (table ids) each written form meets, `written-followup` aside. */
const MET_BY: ReadonlyMap<string, WrittenForm> = new Map(
  OBLIGATIONS.flatMap((o) => WRITTEN.filter((f) => (o.closedBy as readonly string[]).includes(f) && o.id !== 'written-followup').map((f) => [o.id, f] as const)),
);

/** Whom each written form usually goes to, when no open obligation says (rules.md "Obligations and deadlines"). */
function usualAddressees(form: WrittenForm, institution: string, level?: string): string[] {
  switch (form) {
    case 'IncidentReport':
      if (institution === 'cncert') return ['miit'];
      return level === 'IV' ? ['cncert'] : ['miit', 'cncert'];
    case 'DisposalFeedback':
      return ['cncert'];
    case 'VerificationResult':
      return ['miit'];
    case 'IncidentNotice':
      return [];
  }
}

/** What an institution of this kind reports first by phone or e-mail when it owes nothing yet: an event (operators, cncert) or a notice (miit). */
function defaultForm(institution: string): WrittenForm | undefined {
  if (institution.startsWith('op-') || institution === 'cncert') return 'IncidentReport';
  if (institution === 'miit') return 'IncidentNotice';
  return undefined;
}

/**
 * Which written form an unsigned notice of `institution` stands for (Art. 15). In order:
 * 1. the form named by whoever logs it (the clerk of a phone call), with `taskNumber` when given;
 * 2. the institution's open obligation that a written form meets (disposal-feedback of a case,
 *    cncert's event report, verification), preferring one whose task number appears in `hint`
 *    (the mail's subject and text), then the one due first — its case, level and counterparty;
 * 3. a new event reported first by phone or mail: an IncidentReport for an operator or cncert,
 *    an IncidentNotice for miit.
 * Undefined when none applies (a registry or a provincial administration owes no written form
 * Art. 15 lets a call announce): the caller refuses with `emergency.no-written-form`.
 */
export async function standsForOf(manager: EntityManager, institution: string, input: { readonly form?: WrittenForm; readonly taskNumber?: string; readonly level?: string; readonly hint?: string }): Promise<StandsFor | undefined> {
  const open = await manager.find(ObligationEntity, { where: { party: institution, state: 'open', obligation: In([...MET_BY.keys()]) }, order: { id: 'ASC' } });
  const caseKeys = [...new Set(open.flatMap((o) => (o.caseKey === null ? [] : [o.caseKey])))];
  const cases = caseKeys.length === 0 ? [] : await manager.findBy(CaseEntity, { key: In(caseKeys) });
  const taskOf = (caseKey: string | null) => cases.find((c) => c.key === caseKey)?.taskNumber ?? undefined;
  // Monthly level IV feedback (subject month:…) is a spreadsheet, not an Art. 15 written form.
  let candidates = open.filter((o) => !(o.subject ?? '').startsWith('month:') && (input.form === undefined || MET_BY.get(o.obligation) === input.form));
  if (input.taskNumber !== undefined) candidates = candidates.filter((o) => taskOf(o.caseKey) === input.taskNumber);
  const hint = input.hint ?? '';
  const named = candidates.filter((o) => { const t = taskOf(o.caseKey); return t !== undefined && hint.includes(t); });
  const pool = named.length > 0 ? named : candidates;
  const first = [...pool].sort((a, b) => (a.due?.getTime() ?? Infinity) - (b.due?.getTime() ?? Infinity) || a.id - b.id)[0];
  if (first !== undefined) {
    const form = MET_BY.get(first.obligation)!;
    const taskNumber = taskOf(first.caseKey);
    const level = input.level ?? first.level ?? undefined;
    const owedTo = first.counterparty !== null ? [first.counterparty] : usualAddressees(form, institution, level);
    return { form, ...(taskNumber ? { taskNumber } : {}), ...(level ? { level } : {}), owedTo, how: input.form !== undefined ? 'named' : 'open-obligation' };
  }
  if (input.form !== undefined) {
    // Named, with no open clock of it: a task number only when a case of it exists (else the obligations hook would refuse it).
    const known = input.taskNumber !== undefined && (await manager.findOneBy(CaseEntity, { taskNumber: input.taskNumber })) !== null;
    return { form: input.form, ...(known ? { taskNumber: input.taskNumber } : {}), ...(input.level ? { level: input.level } : {}), owedTo: usualAddressees(input.form, institution, input.level), how: 'named' };
  }
  const form = defaultForm(institution);
  if (form === undefined) return undefined;
  return { form, ...(input.level ? { level: input.level } : {}), owedTo: usualAddressees(form, institution, input.level), how: 'default' };
}
