import type { CaseJson, ObligationJson, ObligationsPage } from '../../http/obligation-ports';
import type { GatewayClient } from './gateway-client';

export type { CaseJson, ObligationJson, ObligationsPage };

/** GET /v1/cases/{taskNumber}: the case, if the client's institution is one of its parties (else the gateway's 404 is thrown as a RefusedError). */
export function fetchCase(client: GatewayClient, taskNumber: string): Promise<CaseJson> {
  return client.json<CaseJson>('GET', `/v1/cases/${encodeURIComponent(taskNumber)}`);
}

/** The filters of GET /v1/obligations. */
export interface ObligationFilters {
  readonly state?: string;
  readonly overdue?: boolean;
  readonly obligation?: string;
  readonly caseRef?: string;
  readonly after?: string;
  readonly limit?: number;
}

/** The path and query string of GET /v1/obligations. */
export function obligationsPath(f: ObligationFilters): string {
  const params = new URLSearchParams();
  if (f.state !== undefined) params.set('state', f.state);
  if (f.overdue !== undefined) params.set('overdue', String(f.overdue));
  if (f.obligation !== undefined) params.set('obligation', f.obligation);
  if (f.caseRef !== undefined) params.set('case', f.caseRef);
  if (f.after !== undefined) params.set('after', f.after);
  if (f.limit !== undefined) params.set('limit', String(f.limit));
  const s = params.toString();
  return `/v1/obligations${s ? `?${s}` : ''}`;
}

/** One page of the obligations the client's institution owes. */
export function fetchObligations(client: GatewayClient, f: ObligationFilters = {}): Promise<ObligationsPage> {
  return client.json<ObligationsPage>('GET', obligationsPath(f));
}

/** Every page, following `next` from `f.after`: the items in order, `asOf` of the first page. */
export async function fetchAllObligations(client: GatewayClient, f: ObligationFilters = {}): Promise<ObligationsPage> {
  const first = await fetchObligations(client, f);
  const items = [...first.items];
  let next = first.next;
  while (next !== null) {
    const page = await fetchObligations(client, { ...f, after: next });
    items.push(...page.items);
    next = page.next;
  }
  return { asOf: first.asOf, items, next: null };
}
