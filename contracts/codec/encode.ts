import type { DocumentFormat } from './decode';
import { encodeJson } from './json-codec';
import type { MessageDocument } from './message-document';
import { encodeXml } from './xml-writer';

/** Writes a message in either format (XML compact unless `pretty`; JSON always indented). */
export function encode(doc: MessageDocument, format: DocumentFormat, options: { pretty?: boolean } = {}): string {
  return format === 'xml' ? encodeXml(doc, options) : encodeJson(doc);
}
