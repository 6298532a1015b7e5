/**
 * A small, strict XML 1.0 + Namespaces parser for signed documents, built for verification
 * speed (issue 3: xmldom spent most of the verification time) and for refusing rather than
 * repairing: any DOCTYPE, processing instruction (other than the XML declaration), undeclared
 * prefix, unbalanced tag, repeated attribute or bad reference is an error. It produces a plain
 * tree that `xml-c14n.ts` canonicalises.
 */

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** An attribute, namespace-resolved (`ns` is '' for an unprefixed attribute). */
export interface XAttr {
  readonly qname: string;
  readonly prefix: string;
  readonly local: string;
  readonly ns: string;
  readonly value: string;
}

/** An element; text children are plain strings (references decoded, CDATA merged in). */
export interface XElement {
  readonly qname: string;
  readonly prefix: string;
  readonly local: string;
  readonly ns: string;
  readonly attrs: readonly XAttr[];
  /** The xmlns / xmlns:p declarations on this element, prefix '' for the default namespace. */
  readonly nsDecls: ReadonlyMap<string, string>;
  readonly children: (XElement | string)[];
  readonly parent: XElement | undefined;
}

/** Thrown for anything that is not well-formed (or not accepted); the message says what and where. */
export class XmlSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
    this.name = 'XmlSyntaxError';
  }
}

/** Deeper nesting is refused (the canonicaliser recurses; no form comes near it). */
export const MAX_DEPTH = 200;

const NAME = /[A-Za-z_\u00C0-\uFFEF][\w.\-\u00B7\u00C0-\uFFEF]*(?::[A-Za-z_\u00C0-\uFFEF][\w.\-\u00B7\u00C0-\uFFEF]*)?/y;
const ATTR = /\s+([^\s=/>]+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;
const TAG_END = /\s*(\/?)>/y;
const END_TAG = /<\/([^\s>]+)\s*>/y;
const XML_DECL = /<\?xml\s+version\s*=\s*(["'])1\.\d+\1(?:\s+encoding\s*=\s*(["'])(utf-8|UTF-8)\2)?(?:\s+standalone\s*=\s*(["'])(?:yes|no)\4)?\s*\?>/y;
const COMMENT = /<!--((?:(?!--)[\s\S])*)-->/y;
const CDATA = /<!\[CDATA\[([\s\S]*?)\]\]>/y;
const SPACE = /\s*/y;
const TEXT = /[^<]+/y;
const REF = /&(?:(lt|gt|amp|quot|apos)|#(\d{1,7})|#x([0-9A-Fa-f]{1,6}));/g;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
// Not an XML 1.0 Char (#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]);
// surrogates are let through as the halves of astral characters.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;

function decode(raw: string, at: number): string {
  if (raw.indexOf('&') < 0) return raw;
  const out = raw.replace(REF, (_m, named: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (named) return PREDEFINED[named]!;
    const cp = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
    if (cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)) return String.fromCodePoint(cp);
    throw new XmlSyntaxError(`character reference to U+${cp.toString(16).toUpperCase()}, which is not an XML character`, at);
  });
  if (raw.replace(REF, '').indexOf('&') >= 0) throw new XmlSyntaxError('an & that does not start an entity or character reference (only the five predefined entities exist here)', at);
  return out;
}

/** Parses a whole document; returns the document element. Line ends are normalised to \n first (XML 1.0 §2.11). */
export function parseXml(input: string): XElement {
  const s = input.indexOf('\r') >= 0 ? input.replace(/\r\n?/g, '\n') : input;
  if (NOT_CHAR.test(s)) throw new XmlSyntaxError('the document contains a character that XML does not allow', s.search(NOT_CHAR));
  let pos = 0;
  const at = (re: RegExp): RegExpExecArray | null => {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (m) pos = re.lastIndex;
    return m;
  };
  const misc = (): void => {
    for (;;) {
      at(SPACE);
      if (s.startsWith('<!--', pos)) {
        if (!at(COMMENT)) throw new XmlSyntaxError('an unterminated comment or "--" inside a comment', pos);
      } else if (s.startsWith('<?', pos)) {
        throw new XmlSyntaxError('processing instructions are not accepted in signed documents', pos);
      } else if (s.startsWith('<!', pos)) {
        throw new XmlSyntaxError('DOCTYPE and other declarations are not accepted in signed documents', pos);
      } else return;
    }
  };

  if (s.startsWith('<?xml', pos) && !at(XML_DECL)) throw new XmlSyntaxError('the XML declaration is malformed or declares an encoding other than UTF-8', 0);
  misc();
  if (s[pos] !== '<') throw new XmlSyntaxError('no document element', pos);

  let root: XElement | undefined;
  let current: XElement | undefined;
  // The namespace bindings in scope, innermost last.
  const scopes: Map<string, string>[] = [new Map([['xml', XML_NS], ['', '']])];
  const lookup = (prefix: string): string | undefined => {
    for (let i = scopes.length - 1; i >= 0; i--) {
      const v = scopes[i]!.get(prefix);
      if (v !== undefined) return v;
    }
    return undefined;
  };

  while (pos < s.length) {
    if (s.charCodeAt(pos) !== 0x3c /* < */) {
      const start = pos;
      const m = at(TEXT)!;
      if (!current) throw new XmlSyntaxError('text outside the document element', start);
      if (m[0].indexOf(']]>') >= 0) throw new XmlSyntaxError('"]]>" in text', start);
      pushText(current, decode(m[0], start));
      continue;
    }
    const c1 = s.charCodeAt(pos + 1);
    if (c1 === 0x2f /* / */) {
      const start = pos;
      const m = at(END_TAG);
      if (!m || !current || m[1] !== current.qname) throw new XmlSyntaxError(`end tag ${m ? `</${m[1]}>` : ''} does not close <${current?.qname ?? '(nothing)'}>`, start);
      scopes.pop();
      current = current.parent;
      if (!current) break;
      continue;
    }
    if (c1 === 0x21 /* ! */) {
      if (!current) break;
      if (s.startsWith('<!--', pos)) {
        if (!at(COMMENT)) throw new XmlSyntaxError('an unterminated comment or "--" inside a comment', pos);
      } else if (s.startsWith('<![CDATA[', pos)) {
        const m = at(CDATA);
        if (!m) throw new XmlSyntaxError('an unterminated CDATA section', pos);
        pushText(current, m[1]!);
      } else throw new XmlSyntaxError('DOCTYPE and other declarations are not accepted in signed documents', pos);
      continue;
    }
    if (c1 === 0x3f /* ? */) throw new XmlSyntaxError('processing instructions are not accepted in signed documents', pos);
    if (root && !current) throw new XmlSyntaxError('a second top-level element', pos);

    // A start tag.
    const tagStart = pos;
    pos++;
    const nm = at(NAME);
    if (!nm) throw new XmlSyntaxError('a malformed element name', tagStart);
    const qname = nm[0];
    const raw: [string, string][] = [];
    const decls = new Map<string, string>();
    let am: RegExpExecArray | null;
    while ((am = at(ATTR))) {
      const name = am[1]!;
      const value = decode((am[2] ?? am[3]!).replace(/[\t\n]/g, ' '), pos);
      if (name === 'xmlns') {
        if (decls.has('')) throw new XmlSyntaxError(`attribute xmlns repeated on <${qname}>`, tagStart);
        decls.set('', value);
      } else if (name.startsWith('xmlns:')) {
        const p = name.slice(6);
        if (value === '') throw new XmlSyntaxError(`xmlns:${p}="" is not allowed`, tagStart);
        if (p === 'xmlns' || (p === 'xml') !== (value === XML_NS)) throw new XmlSyntaxError(`the prefix ${p} cannot be bound to ${value}`, tagStart);
        if (decls.has(p)) throw new XmlSyntaxError(`attribute ${name} repeated on <${qname}>`, tagStart);
        decls.set(p, value);
      } else {
        NAME.lastIndex = 0;
        const valid = NAME.exec(name);
        if (!valid || valid[0] !== name) throw new XmlSyntaxError(`a malformed attribute name ${name}`, tagStart);
        if (raw.some(([n]) => n === name)) throw new XmlSyntaxError(`attribute ${name} repeated on <${qname}>`, tagStart);
        raw.push([name, value]);
      }
    }
    const end = at(TAG_END);
    if (!end) throw new XmlSyntaxError(`the start tag <${qname}> is malformed`, tagStart);
    scopes.push(decls);
    if (scopes.length > MAX_DEPTH) throw new XmlSyntaxError(`elements nested more than ${MAX_DEPTH} deep`, tagStart);
    const colon = qname.indexOf(':');
    const prefix = colon < 0 ? '' : qname.slice(0, colon);
    const ns = lookup(prefix);
    if (ns === undefined || (prefix !== '' && ns === '')) throw new XmlSyntaxError(`the prefix ${prefix} of <${qname}> is not declared`, tagStart);
    const attrs: XAttr[] = raw.map(([name, value]) => {
      const c = name.indexOf(':');
      if (c < 0) return { qname: name, prefix: '', local: name, ns: '', value };
      const p = name.slice(0, c);
      const uri = lookup(p);
      if (uri === undefined || uri === '') throw new XmlSyntaxError(`the prefix ${p} of attribute ${name} is not declared`, tagStart);
      return { qname: name, prefix: p, local: name.slice(c + 1), ns: uri, value };
    });
    for (let i = 0; i < attrs.length; i++) {
      for (let j = i + 1; j < attrs.length; j++) {
        if (attrs[i]!.ns !== '' && attrs[i]!.ns === attrs[j]!.ns && attrs[i]!.local === attrs[j]!.local) throw new XmlSyntaxError(`attributes ${attrs[i]!.qname} and ${attrs[j]!.qname} are the same`, tagStart);
      }
    }
    const el: XElement = { qname, prefix, local: colon < 0 ? qname : qname.slice(colon + 1), ns, attrs, nsDecls: decls, children: [], parent: current };
    if (current) current.children.push(el);
    else root = el;
    if (end[1] === '/') {
      scopes.pop();
      if (!current) break;
    } else {
      current = el;
    }
  }
  if (!root) throw new XmlSyntaxError('no document element', pos);
  if (current) throw new XmlSyntaxError(`<${current.qname}> is not closed`, s.length);
  misc();
  if (pos < s.length) throw new XmlSyntaxError('content after the document element', pos);
  return root;
}

function pushText(el: XElement, text: string): void {
  const last = el.children.length - 1;
  if (last >= 0 && typeof el.children[last] === 'string') el.children[last] = (el.children[last] as string) + text;
  else if (text !== '') el.children.push(text);
}

/** The text content of an element (its descendants' text, in order). */
export function textOf(el: XElement): string {
  let out = '';
  for (const c of el.children) out += typeof c === 'string' ? c : textOf(c);
  return out;
}
