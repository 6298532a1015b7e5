import { documentError, type ContractError } from '../validation/contract-error';

const XML_DECLARATION = /^<\?xml\s[^?]*\?>/;
const ENCODING = /\sencoding\s*=\s*["']([^"']*)["']/;

/** Line and column (1-based) of an index, for messages. */
function position(text: string, index: number): string {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    line += 1;
    last = i;
  }
  return `line ${line}, column ${index - last}`;
}

/**
 * Scans XML text once, without recursion and before any parser sees it: refuses DOCTYPE and
 * ENTITY declarations (so no entity is ever expanded), processing instructions other than the
 * XML declaration, an encoding other than UTF-8, and nesting deeper than `maxDepth`.
 * Returns the first error found, or undefined.
 */
export function scanXml(text: string, maxDepth: number): ContractError | undefined {
  let depth = 0;
  let i = 0;
  const declaration = XML_DECLARATION.exec(text);
  if (declaration) {
    const encoding = ENCODING.exec(declaration[0])?.[1];
    if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) {
      return documentError('contract.encoding', `the XML declaration says encoding="${encoding}"; mmgw reads UTF-8 only`);
    }
    i = declaration[0].length;
  }
  const unterminated = (what: string, at: number) => documentError('contract.malformed-xml', `unterminated ${what} at ${position(text, at)} (truncated document?)`);
  for (i = text.indexOf('<', i); i !== -1; i = text.indexOf('<', i)) {
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end === -1) return unterminated('comment', i);
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i + 9);
      if (end === -1) return unterminated('CDATA section', i);
      i = end + 3;
    } else if (text.startsWith('<!', i)) {
      const what = /^<!([A-Za-z]*)/.exec(text.slice(i, i + 12))?.[1] || 'markup';
      return documentError('contract.doctype-forbidden', `<!${what} declaration at ${position(text, i)}: DOCTYPE and ENTITY declarations are refused`);
    } else if (text.startsWith('<?', i)) {
      if (text.indexOf('?>', i) === -1) return unterminated(i === 0 ? 'XML declaration' : 'processing instruction', i);
      const target = /^<\?([^\s?]*)/.exec(text.slice(i, i + 40))?.[1] ?? '';
      return documentError('contract.processing-instruction', `processing instruction <?${target} at ${position(text, i)}: only the XML declaration, at the very start, is allowed`);
    } else if (text.startsWith('</', i)) {
      const end = text.indexOf('>', i);
      if (end === -1) return unterminated('end tag', i);
      depth -= 1;
      i = end + 1;
    } else {
      let j = i + 1;
      let quote = '';
      for (; j < text.length; j += 1) {
        const c = text[j];
        if (quote !== '') {
          if (c === quote) quote = '';
        } else if (c === '"' || c === "'") {
          quote = c;
        } else if (c === '>') {
          break;
        }
      }
      if (j >= text.length) return unterminated('start tag', i);
      if (text[j - 1] !== '/') {
        depth += 1;
        if (depth > maxDepth) {
          return documentError('contract.too-deep', `elements nest deeper than ${maxDepth} levels at ${position(text, i)}`);
        }
      }
      i = j + 1;
    }
  }
  return undefined;
}
