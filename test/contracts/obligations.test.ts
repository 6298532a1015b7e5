import { isByLevel } from '../../contracts/obligations/due-rule';
import { EVENT_LEVELS } from '../../contracts/obligations/event-levels';
import { forms } from '../../contracts/forms';
import { OBLIGATION_IDS, OBLIGATIONS, obligationDeclaration, type ObligationDeclaration } from '../../contracts/obligations/obligation-table';

// The declared table must hold every obligation id of rules.md "Obligations and deadlines",
// with its clause, and a deadline for every level where the deadline depends on the level.
const RULES_MD: Record<string, string> = {
  'sample-report': 'Art. 9(1)',
  'sample-identification': 'Art. 9(2)',
  'event-report': 'Art. 10(2)',
  'cncert-event-report': 'Art. 10(3)',
  'event-notice': 'Art. 10(3)',
  'monthly-general-summary': 'Art. 10(3)',
  'disposal-feedback': 'Art. 11(4)',
  'domain-disposal': 'Art. 11(2)(3)',
  verification: 'Art. 11(5)',
  'user-notice': 'Art. 11(1)',
  'written-followup': 'Art. 15',
  'contact-change': 'Art. 17',
  retention: 'Art. 12',
};

describe('the obligation table (contracts/obligations)', () => {
  it('declares exactly the obligation ids of rules.md, once each', () => {
    expect([...OBLIGATION_IDS].sort()).toEqual(Object.keys(RULES_MD).sort());
    expect(new Set(OBLIGATION_IDS).size).toBe(OBLIGATION_IDS.length);
  });

  it.each(Object.entries(RULES_MD))('%s cites %s and says who owes what', (id, article) => {
    const o = obligationDeclaration(id as (typeof OBLIGATION_IDS)[number]);
    expect(o.article).toBe(article);
    expect(o.who.length).toBeGreaterThan(0);
    expect(o.form.length).toBeGreaterThan(0);
    expect(o.startsOn).toMatch(/^[a-z-]+$/);
  });

  it('gives level-dependent obligations a rule for every level', () => {
    const levelled = OBLIGATIONS.filter((o) => isByLevel(o.due)).map((o) => o.id);
    expect(levelled.sort()).toEqual(['cncert-event-report', 'disposal-feedback', 'event-report', 'verification']);
    for (const o of OBLIGATIONS) {
      if (isByLevel(o.due)) expect(Object.keys(o.due.byLevel).sort()).toEqual([...EVENT_LEVELS].sort());
    }
  });

  it('declares the values of rules.md', () => {
    expect(obligationDeclaration('sample-report').due).toEqual({ kind: 'working-days', days: 3 });
    expect(obligationDeclaration('sample-identification').due).toEqual({ kind: 'working-days', days: 5 });
    expect(obligationDeclaration('event-report').due).toEqual({
      byLevel: { I: { kind: 'hours', hours: 2 }, II: { kind: 'hours', hours: 2 }, III: { kind: 'hours', hours: 4 }, IV: { kind: 'working-days', days: 1, default: true } },
    });
    expect(obligationDeclaration('domain-disposal').due).toMatchObject({ kind: 'same-as', obligation: 'disposal-feedback' });
    expect(obligationDeclaration('contact-change').due).toEqual({ kind: 'working-days', days: 3 });
    expect(obligationDeclaration('retention').due).toEqual({ kind: 'calendar-days', days: 60, default: true });
    expect(obligationDeclaration('written-followup').due).toEqual({ kind: 'working-days', days: 1, default: true });
    expect(obligationDeclaration('event-notice').due).toMatchObject({ kind: 'none' });
    expect(obligationDeclaration('user-notice').due).toMatchObject({ kind: 'none' });
  });
});

describe('the forms that open and close obligations', () => {
  const formNames = new Set(forms.map((f) => f.name));

  it.each(OBLIGATIONS.map((o) => [o.id, o] as const))('%s names only declared forms', (_id, o) => {
    const decl: ObligationDeclaration = o;
    if (decl.openedBy !== null) expect(formNames).toContain(decl.openedBy);
    for (const name of decl.closedBy) expect(formNames).toContain(name);
  });

  it('chains the case: notice → feedback → verification', () => {
    expect(obligationDeclaration('disposal-feedback')).toMatchObject({ openedBy: 'IncidentNotice', closedBy: ['DisposalFeedback', 'MonthlyDisposalFeedback'] });
    expect(obligationDeclaration('verification')).toMatchObject({ openedBy: 'DisposalFeedback', closedBy: ['VerificationResult'] });
    expect(obligationDeclaration('written-followup').openedBy).toBe('EmergencyNotice');
  });
});
