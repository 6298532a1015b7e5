import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { MESSAGE_NAMESPACE } from '../envelope';
import { GatewayError } from '../errors/gateway-error';
import type { FieldType } from '../model/field-types';
import { isXmlChar } from './xml-entities';
import { isRecord, messageTypeOf, MESSAGE_ORDER, ordered, type MessageDocument } from './message-document';

/**
 * Text for xmlbuilder2's `txt()`. xmlbuilder2 escapes `<` and `>` but leaves anything that looks
 * like an entity (`&amp;`, `&#13;`) alone, so `&` is escaped here first, and `\r` written as a
 * character reference so that XML line-end normalisation does not eat it.
 */
function xmlText(s: string, path: string): string {
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (!isXmlChar(code) || (code >= 0xd800 && code <= 0xdfff)) {
      throw new GatewayError('contract.character', `${path}: U+${code.toString(16).toUpperCase().padStart(4, '0')} cannot be carried in XML`, { path });
    }
  }
  return s.replace(/&/g, '&amp;').replace(/\r/g, '&#13;');
}

/** A number as XML Schema decimal text: never an exponent. */
function numberText(n: number): string {
  const s = String(n);
  return /e/i.test(s) ? n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 }) : s;
}

function writeValue(parent: XMLBuilder, name: string, value: unknown, type: FieldType | undefined, path: string): void {
  if (value === undefined || value === null) return;
  const e = parent.ele(name);
  if (Array.isArray(value)) {
    const item = type?.kind === 'array' ? type.item : 'item';
    value.forEach((v, i) => writeValue(e, item, v, type?.kind === 'array' ? type.of : undefined, `${path}[${i}]`));
  } else if (isRecord(value)) {
    const fields = type?.kind === 'object' ? type.fields : {};
    for (const [k, v] of Object.entries(value)) writeValue(e, k, v, fields[k]?.type, `${path}.${k}`);
  } else if (typeof value === 'number') {
    e.txt(numberText(value));
  } else if (typeof value === 'string') {
    if (value !== '') e.txt(xmlText(value, path));
  } else {
    e.txt(String(value));
  }
}

/**
 * Writes a message as XML: `<Message xmlns="urn:mmgw:message:1">`, the envelope, then
 * `<body><FormName>…</FormName></body>`; fields in declaration order, lists as a wrapper
 * element holding one element per item named by the list's `item`. Compact unless `pretty`
 * (indentation between elements only; text is never re-indented).
 */
export function encodeXml(doc: MessageDocument, options: { pretty?: boolean } = {}): string {
  const message = ordered(doc, messageTypeOf(doc.type)) as Record<string, unknown>;
  const type = messageTypeOf(doc.type);
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(MESSAGE_NAMESPACE, 'Message');
  for (const key of Object.keys(message)) {
    const value = message[key];
    if (key === 'body' && MESSAGE_ORDER.includes(key)) {
      const form = typeof doc.type === 'string' && /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(doc.type) ? doc.type : 'Body';
      writeValue(root.ele('body'), form, value, type.fields.body?.type, 'body');
    } else {
      writeValue(root, key, value, type.fields[key]?.type, key);
    }
  }
  return `${root.end({ prettyPrint: options.pretty ?? false })}\n`;
}
