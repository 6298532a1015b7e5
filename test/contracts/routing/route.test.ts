import { formByName, forms } from '../../../contracts/forms';
import type { ExampleMessage } from '../../../contracts/model/field-types';
import { checkAddressing, checkRouting, route, type RoutableMessage, type RoutingFacts } from '../../../contracts/routing';
import { caseFacts } from './facts';

function example(type: string): ExampleMessage {
  const form = formByName(type);
  if (form === undefined) throw new Error(`no form ${type}`);
  return form.example;
}

/** The example of `type`, with some envelope fields and body fields replaced. */
function message(type: string, envelope: Partial<RoutableMessage> = {}, body: Record<string, unknown> = {}): RoutableMessage {
  const e = example(type);
  return { type, from: e.from, to: e.to, cc: e.cc, ...envelope, body: { ...e.body, ...body } };
}

const codes = (errors: readonly { code: string }[]) => errors.map((e) => e.code);

describe('every example is routed as it is addressed', () => {
  it.each(forms.map((f) => [f.name]))('%s', (name) => {
    const e = example(name);
    const { decision, errors } = checkRouting(e, caseFacts);
    expect(errors.map((x) => x.message)).toEqual([]);
    expect(decision.allowed).toBe(true);
    expect(decision.to.length).toBeGreaterThan(0);
    expect(decision.to.every((c) => e.to.includes(c))).toBe(true);
    expect(decision.cc.every((c) => (e.cc ?? []).includes(c))).toBe(true);
  });
});

describe('IncidentReport (Art. 10(2)(3))', () => {
  it('level II from op-cmcc over Beijing and Guangdong → to miit, cc ca-11, ca-44, cncert', () => {
    const d = route(message('IncidentReport', { from: 'op-cmcc' }, { level: 'II', provinces: ['11', '44'] }), caseFacts);
    expect(d).toMatchObject({ allowed: true, to: ['miit'], cc: ['ca-11', 'ca-44', 'cncert'], electronicOnly: false, errors: [] });
    expect(d.route?.source).toBe('Art. 10(2)');
  });

  it.each(['I', 'III'])('level %s from an operator goes the same way', (level) => {
    expect(route(message('IncidentReport', {}, { level, provinces: ['31'] }), caseFacts)).toMatchObject({ to: ['miit'], cc: ['ca-31', 'cncert'] });
  });

  it('level IV → cncert only, over the electronic interface', () => {
    const m = message('IncidentReport', { to: ['cncert'], cc: [] }, { level: 'IV' });
    const d = route(m, caseFacts);
    expect(d).toMatchObject({ allowed: true, to: ['cncert'], cc: [], electronicOnly: true, errors: [] });
    expect(checkAddressing(m, d)).toEqual([]);
  });

  it('refuses a level IV report that also goes to MIIT and the provinces', () => {
    const m = message('IncidentReport', { to: ['cncert', 'miit'], cc: ['ca-11'] }, { level: 'IV' });
    const errors = checkAddressing(m, route(m, caseFacts));
    expect(errors.map((e) => [e.code, e.facts.path, e.facts.recipient])).toEqual([
      ['routing.recipient-not-allowed', 'to[1]', 'miit'],
      ['routing.recipient-not-allowed', 'cc[0]', 'ca-11'],
    ]);
    expect(errors[0]?.message).toContain('operator → CNCERT only, over the agreed electronic interface (level IV) (Art. 10(2))');
  });

  it('CNCERT reports a level I–III event to MIIT, cc the relevant ca-NN (not itself)', () => {
    const d = route(message('IncidentReport', { from: 'cncert' }, { level: 'III', provinces: ['44'] }), caseFacts);
    expect(d).toMatchObject({ allowed: true, to: ['miit'], cc: ['ca-44'] });
    expect(d.route?.source).toBe('Art. 10(3)');
  });

  it('CNCERT does not send level IV reports: it summarises them monthly', () => {
    const d = route(message('IncidentReport', { from: 'cncert' }, { level: 'IV' }), caseFacts);
    expect(d.allowed).toBe(false);
    expect(codes(d.errors)).toEqual(['routing.sender-not-allowed']);
    expect(d.errors[0]?.message).toBe('cncert may send IncidentReport only when level I/II/III (Art. 10(3)); got level IV');
  });

  it.each(['miit', 'ca-11', 'dr-cnnic', 'mmgw'])('%s may not send an IncidentReport', (from) => {
    const d = route(message('IncidentReport', { from }), caseFacts);
    expect(d.allowed).toBe(false);
    expect(d.errors.map((e) => [e.code, e.facts.path])).toEqual([['routing.sender-not-allowed', 'from']]);
  });

  it('names the missing required recipients, and which list they belong in', () => {
    const m = message('IncidentReport', { to: ['miit', 'ca-44'], cc: ['ca-11'] }, { level: 'II', provinces: ['11', '44'] });
    const errors = checkAddressing(m, route(m, caseFacts));
    expect(errors.map((e) => [e.code, e.facts.recipient])).toEqual([
      ['routing.missing-recipient', 'ca-44'],
      ['routing.missing-recipient', 'cncert'],
    ]);
    expect(errors[0]?.message).toBe('IncidentReport from op-cmcc must copy ca-44 in cc (抄报), not in to (Art. 10(2))');
  });

  it('cannot route a report without provinces or level', () => {
    const { provinces: _p, ...body } = example('IncidentReport').body;
    expect(codes(route({ ...message('IncidentReport'), body }, caseFacts).errors)).toEqual(['routing.unresolved']);
    const { level: _l, ...noLevel } = example('IncidentReport').body;
    const d = route({ ...message('IncidentReport'), body: noLevel }, caseFacts);
    expect(d.errors.map((e) => [e.code, e.facts.path])).toEqual([['routing.unresolved', 'body.level']]);
  });
});

describe('IncidentReportBatch', () => {
  it('goes from an operator to CNCERT only, over the electronic interface', () => {
    expect(route(message('IncidentReportBatch', { from: 'op-ctcc' }), caseFacts)).toMatchObject({ allowed: true, to: ['cncert'], cc: [], electronicOnly: true });
    expect(route(message('IncidentReportBatch', { from: 'cncert' }), caseFacts).allowed).toBe(false);
  });
});

describe('SampleReport and SampleIdentification (Art. 9)', () => {
  it('an operator reports samples to CNCERT; CNCERT does not report to itself', () => {
    expect(route(message('SampleReport'), caseFacts)).toMatchObject({ allowed: true, to: ['cncert'] });
    expect(codes(route(message('SampleReport', { from: 'cncert' }), caseFacts).errors)).toEqual(['routing.sender-not-allowed']);
  });

  it('the identification goes to each unit that reported one of its samples, cc the relevant ca-NN', () => {
    const samples = [
      { ...(example('SampleIdentification').body.samples as Record<string, unknown>[])[0] },
      { ...(example('SampleIdentification').body.samples as Record<string, unknown>[])[0], seq: 2, md5: 'd41d8cd98f00b204e9800998ecf8427e' },
    ];
    const d = route(message('SampleIdentification', {}, { samples, provinces: ['11', '32'] }), caseFacts);
    expect(d).toMatchObject({ allowed: true, to: ['op-cmcc', 'op-cucc', 'op-ctcc'], cc: ['ca-11', 'ca-32'] });
  });

  it('says which sample has no known reporter', () => {
    const samples = [{ ...(example('SampleIdentification').body.samples as Record<string, unknown>[])[0], md5: '0123456789abcdef0123456789abcdef' }];
    const d = route(message('SampleIdentification', {}, { samples }), caseFacts);
    expect(d.errors.map((e) => [e.code, e.facts.path, e.facts.value])).toEqual([['routing.unresolved', 'body.samples.md5', '0123456789abcdef0123456789abcdef']]);
  });

  it('refuses a resolver answer that is not an operator', () => {
    const facts: RoutingFacts = { ...caseFacts, sampleReporters: () => ['miit'] };
    expect(codes(route(message('SampleIdentification'), facts).errors)).toEqual(['routing.unresolved']);
  });

  it('an operator may not identify samples', () => {
    expect(route(message('SampleIdentification', { from: 'op-cmcc' }), caseFacts).allowed).toBe(false);
  });
});

describe('IncidentNotice (Art. 10(3))', () => {
  it('MIIT or CNCERT notifies the units it names, cc the relevant ca-NN', () => {
    for (const from of ['miit', 'cncert']) {
      const d = route(message('IncidentNotice', { from, to: ['op-cmcc', 'rr-demo'] }), caseFacts);
      expect(d).toMatchObject({ allowed: true, to: ['op-cmcc', 'rr-demo'], cc: ['ca-11', 'ca-44'] });
    }
  });

  it('must name at least one unit concerned', () => {
    const d = route(message('IncidentNotice', { to: ['miit'] }), caseFacts);
    expect(codes(d.errors)).toEqual(['routing.no-recipient']);
    expect(d.errors[0]?.message).toBe('IncidentNotice must name in to at least 1 of op-*, dr-*, rr-* (Art. 10(3)); it names 0');
  });

  it('an operator may not notify', () => {
    expect(route(message('IncidentNotice', { from: 'op-cmcc' }), caseFacts).errors[0]?.message).toBe('op-cmcc may not send IncidentNotice (Art. 10(3)): only miit, cncert may');
  });
});

describe('DisposalFeedback and VerificationResult (Art. 11(4)(5))', () => {
  it('the disposing unit feeds back to CNCERT and may copy MIIT and the ca-NN, nobody else', () => {
    const m = message('DisposalFeedback', { cc: ['miit', 'ca-11', 'op-cucc'] });
    const { decision, errors } = checkRouting(m, caseFacts);
    expect(decision).toMatchObject({ allowed: true, to: ['cncert'], cc: [] });
    expect(errors.map((e) => [e.code, e.facts.recipient])).toEqual([['routing.recipient-not-allowed', 'op-cucc']]);
  });

  it('CNCERT verifies to MIIT, the relevant ca-NN and the disposing unit', () => {
    const d = route(message('VerificationResult', {}, { disposingUnit: 'rr-demo', provinces: ['33'] }), caseFacts);
    expect(d).toMatchObject({ allowed: true, to: ['miit', 'ca-33', 'rr-demo'], cc: [] });
  });

  it('an operator sending a VerificationResult is refused', () => {
    const d = route(message('VerificationResult', { from: 'op-cmcc' }), caseFacts);
    expect(d).toMatchObject({ allowed: false, to: [], cc: [] });
    expect(d.errors.map((e) => [e.code, e.facts.article, e.message])).toEqual([
      ['routing.sender-not-allowed', 'Art. 11(5)', 'op-cmcc may not send VerificationResult (Art. 11(5)): only cncert may'],
    ]);
  });

  it('refuses a disposing unit that is not an institution code', () => {
    expect(codes(route(message('VerificationResult', {}, { disposingUnit: '中国移动' }), caseFacts).errors)).toEqual(['routing.unresolved']);
  });
});

describe('DomainDisposalRequest and DomainDisposalFeedback (Art. 11(2)(3))', () => {
  it('goes to the registry and registrar that manage each domain, once each', () => {
    expect(route(message('DomainDisposalRequest'), caseFacts)).toMatchObject({ allowed: true, to: ['dr-cnnic', 'rr-demo'] });
  });

  it('says which domain has no manager on record', () => {
    const domains = [{ domain: 'unknown-c2.cn', role: 'control', requestedAction: 'hold' }];
    const d = route(message('DomainDisposalRequest', {}, { domains }), caseFacts);
    expect(d.errors.map((e) => [e.code, e.facts.value])).toEqual([['routing.unresolved', 'unknown-c2.cn']]);
  });

  it('has nobody to send to for a foreign-only domain (CNCERT coordinates those itself)', () => {
    const domains = [{ domain: 'foreign-only.example', role: 'control', requestedAction: 'hold' }];
    expect(codes(route(message('DomainDisposalRequest', {}, { domains }), caseFacts).errors)).toEqual(['routing.no-recipient']);
  });

  it('registries and registrars answer CNCERT; CNCERT records foreign coordination to MIIT; operators do neither', () => {
    expect(route(message('DomainDisposalFeedback', { from: 'dr-cnnic' }), caseFacts)).toMatchObject({ allowed: true, to: ['cncert'] });
    expect(route(message('DomainDisposalFeedback', { from: 'cncert' }), caseFacts)).toMatchObject({ allowed: true, to: ['miit'] });
    expect(route(message('DomainDisposalFeedback', { from: 'op-cmcc' }), caseFacts).allowed).toBe(false);
    expect(route(message('DomainDisposalRequest', { from: 'miit' }), caseFacts).allowed).toBe(false);
  });
});

describe('monthly messages, contacts, Art. 15 and the gateway', () => {
  it('the monthly summary is CNCERT’s, the monthly spreadsheet the disposing unit’s', () => {
    expect(route(message('MonthlyGeneralSummary'), caseFacts)).toMatchObject({ allowed: true, to: ['op-cmcc', 'op-cucc', 'op-ctcc'] });
    expect(route(message('MonthlyGeneralSummary', { from: 'op-cmcc' }), caseFacts).allowed).toBe(false);
    expect(route(message('MonthlyDisposalFeedback', { from: 'dr-cnnic' }), caseFacts)).toMatchObject({ allowed: true, to: ['cncert'], cc: [] });
    expect(route(message('MonthlyDisposalFeedback', { from: 'cncert' }), caseFacts).allowed).toBe(false);
  });

  it('a contact update goes to MIIT with a copy to CNCERT; CNCERT does not copy itself', () => {
    expect(route(message('ContactUpdate', { from: 'rr-demo' }), caseFacts)).toMatchObject({ to: ['miit'], cc: ['cncert'] });
    const m = message('ContactUpdate', { from: 'cncert', cc: ['cncert'] });
    const { decision, errors } = checkRouting(m, caseFacts);
    expect(decision).toMatchObject({ to: ['miit'], cc: [] });
    expect(errors.map((e) => e.message)).toEqual(['ContactUpdate: the sender cncert does not address itself']);
    expect(route(message('ContactUpdate', { from: 'miit' }), caseFacts).allowed).toBe(false);
  });

  it('an emergency notice goes to the caller’s institution, which owes the written form', () => {
    expect(route(message('EmergencyNotice', { from: 'miit' }, { institution: 'op-cucc' }), caseFacts)).toMatchObject({ allowed: true, to: ['op-cucc'] });
    expect(codes(route(message('EmergencyNotice', { from: 'op-cmcc' }, { institution: 'op-cmcc' }), caseFacts).errors)).toEqual(['routing.no-recipient']);
    expect(route(message('EmergencyNotice', { from: 'mmgw' }), caseFacts).allowed).toBe(false);
  });

  it('receipts and rejections come from the gateway only; a receipt goes to the sender of the accepted message', () => {
    expect(route(message('Receipt'), caseFacts)).toMatchObject({ allowed: true, to: ['op-cmcc'] });
    expect(codes(route(message('Receipt', {}, { messageId: 'op-cucc-20261128-9999' }), caseFacts).errors)).toEqual(['routing.unresolved']);
    expect(route(message('Receipt', { from: 'cncert' }), caseFacts).allowed).toBe(false);
    expect(route(message('Rejection', { from: 'cncert' }), caseFacts).allowed).toBe(false);
    expect(codes(route(message('Rejection', { to: ['mmgw'] }), caseFacts).errors)).toEqual(['routing.no-recipient']);
  });

  it('acknowledgements go to the gateway, from any party but the gateway', () => {
    expect(route(message('Acknowledgement', { from: 'ca-44' }), caseFacts)).toMatchObject({ allowed: true, to: ['mmgw'] });
    expect(route(message('Acknowledgement', { from: 'mmgw' }), caseFacts).allowed).toBe(false);
  });

  it('a type without routes is refused with routing.unknown-form', () => {
    expect(codes(route({ type: 'Telegram', from: 'miit', body: {} }, caseFacts).errors)).toEqual(['routing.unknown-form']);
    expect(codes(route({ type: 'toString', from: 'miit', body: {} }, caseFacts).errors)).toEqual(['routing.unknown-form']);
  });
});
