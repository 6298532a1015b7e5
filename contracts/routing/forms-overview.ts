import type { FormDeclaration } from '../model/field-types';
import type { RecipientRule, RouteDeclaration, RoutingTable } from './route-declaration';

function rule(r: RecipientRule): string {
  switch (r.kind) {
    case 'institution':
      return r.code;
    case 'provinces':
      return `ca-NN of ${r.field}`;
    case 'field':
      return `\`${r.field}\``;
    case 'fact':
      return { 'domain-managers': `dr-*/rr-* managing ${r.field}`, 'sample-reporters': `reporters of ${r.field}`, 'sender-of': `sender of ${r.field}` }[r.fact];
    case 'chosen':
      return `named ${r.patterns.join(' ')}`;
  }
}

function routeLine(r: RouteDeclaration): string {
  const cc = r.cc !== undefined && r.cc.length > 0 ? `; cc ${r.cc.map(rule).join(', ')}` : '';
  const when = r.when !== undefined ? ` ${r.when.field} ${r.when.in.join('/')},` : '';
  const electronic = r.electronicOnly === true ? ' electronic only,' : '';
  return `${r.senders.join(' ')} → ${r.to.map(rule).join(', ')}${cc} (${when}${electronic} ${r.source})`.replace('( ', '(');
}

/** The README table of forms: name, Chinese title, source, and who → whom from the routing table. */
export function formsOverview(forms: readonly FormDeclaration[], table: RoutingTable): string {
  const rows = forms.map((f) => `| \`${f.name}\` | ${f.title} | ${f.source} | ${(table[f.name] ?? []).map(routeLine).join('<br>')} |`);
  return ['| form | 中文名称 | source | who → whom (routing table) |', '|---|---|---|---|', ...rows].join('\n');
}
