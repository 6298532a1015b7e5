import { GatewayError } from '../../../contracts/errors/gateway-error';
import { forms, formNames } from '../../../contracts/forms';
import { checkRoutingTable, loadRoutingTable, routingTable } from '../../../contracts/routing';

// style.md "Declare, then derive": the routing table is data, checked at load for unknown keys
// and dangling references, every problem reported at once with its path.
describe('the routing table', () => {
  it('has no problem against the declared forms', () => {
    expect(checkRoutingTable(routingTable, forms)).toEqual([]);
    expect(loadRoutingTable(routingTable, forms)).toBe(routingTable);
  });

  it('covers every declared form and only declared forms', () => {
    expect(Object.keys(routingTable).sort()).toEqual([...formNames].sort());
  });

  it('cites an article (or the gateway) for every route', () => {
    for (const [name, routes] of Object.entries(routingTable)) {
      for (const r of routes) expect([name, r.source]).toEqual([name, expect.stringMatching(/^(Art\. \d+(\(\d+\))*|mmgw)$/)]);
    }
  });

  it('gives the gateway`s own messages to mmgw alone, and mmgw nothing else to send', () => {
    const fromGateway = Object.entries(routingTable).filter(([, routes]) => routes.some((r) => r.senders.includes('mmgw') || r.senders.includes('*')));
    expect(fromGateway.map(([n]) => n).sort()).toEqual(['Receipt', 'Rejection']);
  });
});

describe('checkRoutingTable on a broken table', () => {
  const broken = {
    ...routingTable,
    IncidentRepot: routingTable.IncidentReport,
    IncidentReport: [
      {
        source: 'Art. 10(2)',
        description: 'typo’d keys and bad references',
        senders: ['op-*', 'xx-*', 'OP-CMCC'],
        when: { field: 'level', in: ['II', 'V'] },
        to: [{ kind: 'institution', code: 'miit', extra: true }, { kind: 'provinces', field: 'province' }],
        cc: [{ kind: 'fact', fact: 'registrar-of', field: 'malwareName' }, { kind: 'teleport' }],
        mayAlsoinclude: ['miit'],
      },
    ],
    Receipt: [],
  } as unknown;
  const { SampleReport: _omitted, ...withoutSampleReport } = broken as Record<string, unknown>;
  const problems = checkRoutingTable(withoutSampleReport, forms);
  const at = (path: string) => problems.filter((p) => p.path === path).map((p) => p.message);

  it('reports every problem at once, each with its path', () => {
    expect(problems.map((p) => p.path).sort()).toEqual(
      [
        'routing.IncidentRepot',
        'routing.IncidentReport[0].mayAlsoinclude',
        'routing.IncidentReport[0].senders[1]',
        'routing.IncidentReport[0].senders[2]',
        'routing.IncidentReport[0].when.in[1]',
        'routing.IncidentReport[0].to[0].extra',
        'routing.IncidentReport[0].to[1].field',
        'routing.IncidentReport[0].cc[0].fact',
        'routing.IncidentReport[0].cc[1].kind',
        'routing.Receipt',
        'routing.SampleReport',
      ].sort(),
    );
  });

  it('says what is wrong in each place', () => {
    expect(at('routing.IncidentRepot')).toEqual(['no declared form has this name']);
    expect(at('routing.SampleReport')[0]).toMatch(/no routes/);
    expect(at('routing.IncidentReport[0].mayAlsoinclude')[0]).toMatch(/unknown key.*mayAlsoInclude/);
    expect(at('routing.IncidentReport[0].senders[1]')[0]).toMatch(/"xx-\*" is not an institution pattern/);
    expect(at('routing.IncidentReport[0].when.in[1]')[0]).toMatch(/"V" is not one of IncidentReport.level's values \(I, II, III, IV\)/);
    expect(at('routing.IncidentReport[0].to[1].field')[0]).toBe('IncidentReport declares no body field province');
    expect(at('routing.IncidentReport[0].cc[0].fact')[0]).toMatch(/unknown fact "registrar-of"/);
    expect(at('routing.IncidentReport[0].cc[0].field')).toEqual([]); // no expected kind once the fact is unknown
    expect(at('routing.Receipt')[0]).toMatch(/non-empty list of routes/);
  });

  it('checks that a field is of the kind its rule reads', () => {
    const table = { ...routingTable, VerificationResult: [{ source: 'Art. 11(5)', description: 'x', senders: ['cncert'], to: [{ kind: 'provinces', field: 'malwareName' }] }] };
    expect(checkRoutingTable(table, forms)).toEqual([{ path: 'routing.VerificationResult[0].to[0].field', message: 'VerificationResult.malwareName is of kind malware-name, expected province' }]);
  });

  it('makes loadRoutingTable throw routing.bad-table listing them all', () => {
    let thrown: unknown;
    try {
      loadRoutingTable(withoutSampleReport, forms);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    const err = thrown as GatewayError;
    expect(err.code).toBe('routing.bad-table');
    expect(err.message).toContain(`has ${problems.length} problems`);
    expect(err.message).toContain('routing.IncidentRepot: no declared form has this name');
    expect(err.facts.problems).toEqual(problems);
  });
});
