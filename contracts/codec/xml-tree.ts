import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { documentError, type ContractError } from '../validation/contract-error';
import { decodeEntities } from './xml-entities';

/** An XML element with its namespace resolved; children are elements or text (entities decoded). */
export interface XmlElement {
  /** The name as written, e.g. `ds:Signature`. */
  readonly name: string;
  /** The local name, e.g. `Signature`. */
  readonly local: string;
  /** The namespace URI, or '' for none. */
  readonly ns: string;
  /** Attributes other than namespace declarations, entities decoded. */
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly (XmlElement | string)[];
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  // Entities are decoded by decodeEntities: the five predefined ones and character references only.
  processEntities: false,
  htmlEntities: false,
  cdataPropName: '#cdata',
  commentPropName: '#comment',
});

type OrderedNode = Record<string, unknown>;

/** XML Schema instance attributes (`xsi:schemaLocation` …) are hints for validators and are ignored. */
const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class TreeBuilder {
  readonly errors: ContractError[] = [];

  decode(raw: string, where: string): string {
    const r = decodeEntities(raw);
    if ('text' in r) return r.text;
    this.errors.push(documentError('contract.malformed-xml', `undefined or malformed entity reference ${r.bad} in ${where}; only &lt; &gt; &amp; &quot; &apos; and character references exist without a DTD`));
    return raw;
  }

  element(node: OrderedNode, scope: ReadonlyMap<string, string>): XmlElement | undefined {
    const name = Object.keys(node).find((k) => k !== ':@');
    if (name === undefined) return undefined;
    const rawAttrs = isRecord(node[':@']) ? node[':@'] : {};
    // The namespace scope is copied only when this element declares a namespace.
    let own: Map<string, string> | undefined;
    const declare = (prefix: string, uri: string) => {
      own ??= new Map(scope);
      own.set(prefix, uri);
    };
    const attrs: Record<string, string> = {};
    const plain: [string, string][] = [];
    for (const [key, value] of Object.entries(rawAttrs)) {
      const text = this.decode(String(value), `attribute ${key} of <${name}>`);
      if (key === 'xmlns') declare('', text);
      else if (key.startsWith('xmlns:')) declare(key.slice(6), text);
      else plain.push([key, text]);
    }
    const ns = own ?? scope;
    for (const [key, text] of plain) {
      // xsi:schemaLocation and the like only point at the schema: ignored.
      const colon = key.indexOf(':');
      if (colon === -1 || ns.get(key.slice(0, colon)) !== XSI_NAMESPACE) attrs[key] = text;
    }
    const colon = name.indexOf(':');
    const prefix = colon === -1 ? '' : name.slice(0, colon);
    const local = colon === -1 ? name : name.slice(colon + 1);
    const uri = ns.get(prefix);
    if (uri === undefined && prefix !== '') {
      this.errors.push(documentError('contract.malformed-xml', `element <${name}> uses the undeclared namespace prefix ${prefix}`));
    }
    const children: (XmlElement | string)[] = [];
    const content = node[name];
    for (const child of Array.isArray(content) ? content : []) {
      if (!isRecord(child)) continue;
      if (typeof child['#text'] === 'string') children.push(this.decode(child['#text'], `the text of <${name}>`));
      else if (Array.isArray(child['#cdata'])) {
        for (const part of child['#cdata']) if (isRecord(part) && typeof part['#text'] === 'string') children.push(part['#text']);
      } else if ('#comment' in child) continue;
      else {
        const e = this.element(child, ns);
        if (e) children.push(e);
      }
    }
    return { name, local, ns: uri ?? '', attrs, children };
  }
}

/**
 * Parses XML text that scanXml has already accepted into one root element, resolving
 * namespaces and decoding entities. Line ends are normalised as XML 1.0 §2.11 requires.
 */
export function parseXmlTree(text: string): { root: XmlElement } | { errors: ContractError[] } {
  const normalised = text.replace(/\r\n?/g, '\n');
  const valid = XMLValidator.validate(normalised);
  if (valid !== true) {
    return { errors: [documentError('contract.malformed-xml', `${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`)] };
  }
  const nodes: unknown = parser.parse(normalised);
  const builder = new TreeBuilder();
  const roots: XmlElement[] = [];
  for (const node of Array.isArray(nodes) ? nodes : []) {
    if (!isRecord(node) || '?xml' in node || '#comment' in node) continue;
    if (typeof node['#text'] === 'string') {
      if (node['#text'].trim() !== '') builder.errors.push(documentError('contract.malformed-xml', 'text outside the root element'));
      continue;
    }
    const e = builder.element(node, new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]));
    if (e) roots.push(e);
  }
  const root = roots[0];
  if (root === undefined) builder.errors.push(documentError('contract.malformed-xml', 'the document has no root element'));
  else if (roots.length > 1) builder.errors.push(documentError('contract.malformed-xml', 'the document has more than one root element'));
  if (builder.errors.length > 0 || root === undefined) return { errors: builder.errors };
  return { root };
}
