/** A domain as the registry keys it: lower case, no final dot. */
export function normaliseDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, '');
}

/** The domain and every zone above it, most specific first: `a.example.cn` → `a.example.cn`, `example.cn`, `cn`. */
export function domainAndZones(domain: string): string[] {
  const labels = normaliseDomain(domain).split('.').filter((l) => l !== '');
  return labels.map((_, i) => labels.slice(i).join('.'));
}
