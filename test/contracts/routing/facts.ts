import type { RoutingFacts } from '../../../contracts/routing';

/** Facts of the example case (contracts/forms examples): who manages which domain, who reported which sample. */
export const caseFacts: RoutingFacts = {
  domainManagers: (d) => ({ 'ghostpush-c2.cn': ['dr-cnnic', 'rr-demo'], 'gp-update.com': ['rr-demo'], 'foreign-only.example': [] } as Record<string, string[]>)[d],
  sampleReporters: (md5) => ({ '9e107d9d372bb6826bd81d3542a419d6': ['op-cmcc'], 'd41d8cd98f00b204e9800998ecf8427e': ['op-cucc', 'op-ctcc'] } as Record<string, string[]>)[md5],
  senderOf: (id) => ({ 'op-cmcc-20261128-0007': 'op-cmcc' } as Record<string, string>)[id],
};
