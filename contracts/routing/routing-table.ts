import { forms } from '../forms';
import { loadRoutingTable } from './check-table';
import type { RecipientRule, RoutingTable } from './route-declaration';

const only = (code: string): RecipientRule => ({ kind: 'institution', code });
/** 相关通信管理局: the ca-NN of each province at `field` (rules.md, "Parties"). */
const relevantCa = (field = 'provinces'): RecipientRule => ({ kind: 'provinces', field });
const LEVELS_I_III = { field: 'level', in: ['I', 'II', 'III'] } as const;
/** Every party of the mechanism that takes part in the exchange as a unit, i.e. all but the gateway. */
const ANY_UNIT = ['miit', 'cncert', 'ca-*', 'op-*', 'dr-*', 'rr-*'] as const;
const DISPOSING_UNITS = ['op-*', 'dr-*', 'rr-*'] as const;

/**
 * Who may send each form, and to whom it must go, as rules.md ("Obligations and deadlines",
 * "The forms") lists them. Routes are tried in order; the first whose senders and condition
 * match applies. The gateway's own messages come from `mmgw`.
 */
export const declaredRoutes: RoutingTable = {
  SampleReport: [
    { source: 'Art. 9(1)', description: 'operator → CNCERT', senders: ['op-*'], to: [only('cncert')] },
  ],
  SampleIdentification: [
    {
      source: 'Art. 9(2)',
      description: 'CNCERT → each unit that reported one of the samples, cc the relevant ca-NN',
      senders: ['cncert'],
      to: [{ kind: 'fact', fact: 'sample-reporters', field: 'samples.md5' }],
      cc: [relevantCa()],
      mayAlsoInclude: ['miit'],
    },
  ],
  IncidentReport: [
    {
      source: 'Art. 10(2)',
      description: 'operator → MIIT, cc the relevant ca-NN and CNCERT (level I–III)',
      senders: ['op-*'],
      when: LEVELS_I_III,
      to: [only('miit')],
      cc: [relevantCa(), only('cncert')],
    },
    {
      source: 'Art. 10(2)',
      description: 'operator → CNCERT only, over the agreed electronic interface (level IV)',
      senders: ['op-*'],
      when: { field: 'level', in: ['IV'] },
      to: [only('cncert')],
      electronicOnly: true,
    },
    {
      source: 'Art. 10(3)',
      description: 'CNCERT → MIIT, cc the relevant ca-NN (level I–III; CNCERT summarises level IV monthly)',
      senders: ['cncert'],
      when: LEVELS_I_III,
      to: [only('miit')],
      cc: [relevantCa()],
    },
  ],
  IncidentReportBatch: [
    {
      source: 'Art. 10(2)',
      description: 'operator → CNCERT only, over the agreed electronic interface (level IV events)',
      senders: ['op-*'],
      to: [only('cncert')],
      electronicOnly: true,
    },
  ],
  IncidentNotice: [
    {
      source: 'Art. 10(3)',
      description: 'MIIT, or CNCERT on its behalf → the units concerned, cc the relevant ca-NN',
      senders: ['miit', 'cncert'],
      to: [{ kind: 'chosen', patterns: DISPOSING_UNITS, minItems: 1 }],
      cc: [relevantCa()],
      mayAlsoInclude: ['miit', 'cncert'],
    },
  ],
  DisposalFeedback: [
    {
      source: 'Art. 11(4)',
      description: 'disposing unit → CNCERT (Annex 5 leaves room to copy MIIT and the ca-NN)',
      senders: DISPOSING_UNITS,
      to: [only('cncert')],
      mayAlsoInclude: ['miit', 'ca-*'],
    },
  ],
  VerificationResult: [
    {
      source: 'Art. 11(5)',
      description: 'CNCERT → MIIT, the relevant ca-NN and the disposing unit',
      senders: ['cncert'],
      to: [only('miit'), relevantCa(), { kind: 'field', field: 'disposingUnit' }],
    },
  ],
  DomainDisposalRequest: [
    {
      source: 'Art. 11(2)',
      description: 'CNCERT → the dr-*/rr-* that manage each domain',
      senders: ['cncert'],
      to: [{ kind: 'fact', fact: 'domain-managers', field: 'domains.domain' }],
    },
  ],
  DomainDisposalFeedback: [
    { source: 'Art. 11(2)', description: 'registry or registrar → CNCERT', senders: ['dr-*', 'rr-*'], to: [only('cncert')] },
    {
      source: 'Art. 11(3)',
      description: 'CNCERT → MIIT: its coordination record for foreign-registered domains (Default: rules.md names no recipient; MIIT supervises, Art. 4)',
      senders: ['cncert'],
      to: [only('miit')],
    },
  ],
  MonthlyGeneralSummary: [
    {
      source: 'Art. 10(3)',
      description: 'CNCERT → the units concerned',
      senders: ['cncert'],
      to: [{ kind: 'chosen', patterns: [...DISPOSING_UNITS, 'ca-*', 'miit'], minItems: 1 }],
      mayAlsoInclude: ['miit', 'ca-*'],
    },
  ],
  MonthlyDisposalFeedback: [
    { source: 'Art. 11(4)', description: 'disposing unit → CNCERT (level IV spreadsheet)', senders: DISPOSING_UNITS, to: [only('cncert')] },
  ],
  ContactUpdate: [
    {
      source: 'Art. 17',
      description: 'any unit → MIIT, cc CNCERT',
      senders: ['cncert', 'ca-*', 'op-*', 'dr-*', 'rr-*'],
      to: [only('miit')],
      cc: [only('cncert')],
    },
  ],
  EmergencyNotice: [
    {
      source: 'Art. 15',
      description: 'the unit that took the call or e-mail → the caller’s institution, which owes the written form',
      senders: ANY_UNIT,
      to: [{ kind: 'field', field: 'institution' }],
      mayAlsoInclude: ['miit', 'cncert', 'ca-*'],
    },
  ],
  Receipt: [
    { source: 'mmgw', description: 'gateway → the sender of the accepted message', senders: ['mmgw'], to: [{ kind: 'fact', fact: 'sender-of', field: 'messageId' }] },
  ],
  Rejection: [
    {
      source: 'mmgw',
      description: 'gateway → the party that submitted the refused bytes (named by the gateway: the message may be unreadable)',
      senders: ['mmgw'],
      to: [{ kind: 'chosen', patterns: ANY_UNIT, minItems: 1 }],
    },
  ],
  Acknowledgement: [
    { source: 'mmgw', description: 'recipient of a delivery → gateway', senders: ANY_UNIT, to: [only('mmgw')] },
  ],
};

/** The routing table, checked against the declared forms when this module loads: a broken table throws `routing.bad-table` listing every problem. */
export const routingTable: RoutingTable = loadRoutingTable(declaredRoutes, forms);
