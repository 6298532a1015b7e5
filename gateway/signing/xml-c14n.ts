import type { XElement } from './xml-tree';

/**
 * Exclusive XML Canonicalization 1.0 without comments (https://www.w3.org/TR/xml-exc-c14n/),
 * with no InclusiveNamespaces PrefixList, over the tree of `xml-tree.ts`: the only canonical
 * form mmgw signs and accepts. `omit` is left out with its subtree (the enveloped-signature
 * transform). Checked against xml-crypto's implementation and against xmlsec1 in the tests.
 */
export function excC14n(el: XElement, omit?: XElement): string {
  const out: string[] = [];
  render(el, new Map(), omit, out);
  return out.join('');
}

function render(el: XElement, rendered: ReadonlyMap<string, string>, omit: XElement | undefined, out: string[]): void {
  // Namespaces visibly utilised here: the element's own prefix (or the default namespace) and
  // the prefixes of its attributes; each is output unless an output ancestor already did so
  // with the same value. The default namespace "" needs no declaration at the top.
  let next: Map<string, string> | undefined;
  const decls: [string, string][] = [];
  const need = (prefix: string, uri: string): void => {
    const have = (next ?? rendered).get(prefix) ?? (prefix === '' ? '' : undefined);
    if (have === uri) return;
    next ??= new Map(rendered);
    next.set(prefix, uri);
    decls.push([prefix, uri]);
  };
  need(el.prefix, el.ns);
  for (const a of el.attrs) if (a.prefix !== '' && a.prefix !== 'xml') need(a.prefix, a.ns);
  out.push('<', el.qname);
  if (decls.length > 1) decls.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [p, uri] of decls) out.push(p === '' ? ' xmlns="' : ` xmlns:${p}="`, escapeAttr(uri), '"');
  const attrs = el.attrs.length > 1 ? [...el.attrs].sort((a, b) => (a.ns !== b.ns ? (a.ns < b.ns ? -1 : 1) : a.local < b.local ? -1 : a.local > b.local ? 1 : 0)) : el.attrs;
  for (const a of attrs) out.push(' ', a.qname, '="', escapeAttr(a.value), '"');
  out.push('>');
  const scope = next ?? rendered;
  for (const c of el.children) {
    if (typeof c === 'string') out.push(escapeText(c));
    else if (c !== omit) render(c, scope, omit, out);
  }
  out.push('</', el.qname, '>');
}

const TEXT_SPECIAL = /[&<>\r]/;
const ATTR_SPECIAL = /[&<"\t\n\r]/;

function escapeText(s: string): string {
  if (!TEXT_SPECIAL.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}

function escapeAttr(s: string): string {
  if (!ATTR_SPECIAL.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/\t/g, '&#x9;').replace(/\n/g, '&#xA;').replace(/\r/g, '&#xD;');
}
