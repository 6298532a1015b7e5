import { MESSAGE_NAMESPACE } from '../../contracts/envelope';

/** The Receipt document signedReceipt writes (gateway-documents.ts). */
export interface ReceiptDocument {
  readonly id: string;
  readonly type: 'Receipt';
  readonly version: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly sentAt: string;
  readonly references: { readonly inReplyTo: string };
  readonly body: { readonly messageId: string; readonly sha256: string; readonly acceptedAt: string; readonly recipients: readonly string[] };
}

/** Text the XML encoder writes unchanged (no escaping, no character check can differ): ids, codes, hex, ISO instants. */
const PLAIN = /^[A-Za-z0-9._:+-]+$/;
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

const plain = (values: readonly string[]): boolean => values.length > 0 && values.every((v) => PLAIN.test(v));
const codes = (values: readonly string[]): string => values.map((c) => `<code>${c}</code>`).join('');

/**
 * The XML of a Receipt exactly as contracts' encoder writes it (`encode(doc, 'xml')`: the XML
 * declaration, `<Message xmlns=…>`, envelope and body fields in declaration order, lists as
 * `<code>` items, a final newline), written directly — xmlbuilder2 builds a DOM per document,
 * ~150–350 µs per Receipt, the largest CPU item of an accepted XML message (issue 4 item 8).
 * Only when every value is plain text (ids, institution codes, hex, ISO instants — what intake
 * puts in a Receipt) and every list has items; otherwise `undefined`, and the caller uses the
 * encoder. The test compares the two byte for byte.
 */
export function receiptXml(doc: ReceiptDocument): string | undefined {
  const { body } = doc;
  if (!plain([doc.id, doc.version, doc.from, doc.sentAt, doc.references.inReplyTo, body.messageId, body.sha256, body.acceptedAt]) || !plain(doc.to) || !plain(body.recipients)) return undefined;
  return `${DECLARATION}<Message xmlns="${MESSAGE_NAMESPACE}"><id>${doc.id}</id><type>Receipt</type><version>${doc.version}</version>`
    + `<from>${doc.from}</from><to>${codes(doc.to)}</to><sentAt>${doc.sentAt}</sentAt><references><inReplyTo>${doc.references.inReplyTo}</inReplyTo></references>`
    + `<body><Receipt><messageId>${body.messageId}</messageId><sha256>${body.sha256}</sha256><acceptedAt>${body.acceptedAt}</acceptedAt>`
    + `<recipients>${codes(body.recipients)}</recipients></Receipt></body></Message>\n`;
}

/**
 * The exclusive canonical form (XML-DSig's c14n) of the document element of receiptXml's
 * output: the text itself without the declaration and the final newline, since it has no
 * attribute but the root's default namespace declaration, no empty element, no white space
 * between elements and no character c14n would escape (all values are plain). What
 * signGatewayXml digests; the test checks it against the canonicaliser.
 */
export function receiptCanonical(xml: string): string {
  return xml.slice(DECLARATION.length, -1);
}
