import { decode, DEFAULT_DECODE_LIMITS, DSIG_NAMESPACE } from '../../contracts/codec';

/** What one MIME leaf is, told by its content (never by its file name, which may be missing). */
export type PartKind =
  | { readonly kind: 'form'; readonly format: 'xml' | 'json'; readonly signature?: 'xml-dsig' | 'jws'; readonly formType?: string; readonly documentId?: string; readonly documentFrom?: string }
  | { readonly kind: 'form-too-large' }
  | { readonly kind: 'spreadsheet' }
  | { readonly kind: 'mail' }
  | { readonly kind: 'other' };

const MESSAGE_NAMESPACE = 'urn:mmgw:message:1';
const ZIP_MAGIC = Buffer.from('PK\x03\x04', 'latin1');
const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function firstNonBlank(bytes: Buffer): string | undefined {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return i < bytes.length ? String.fromCharCode(bytes[i]) : undefined;
}

/** An .xlsx workbook: a ZIP whose (uncompressed) entry names include the workbook part. */
function isXlsx(bytes: Buffer, contentType: string): boolean {
  if (bytes.length < 4 || !bytes.subarray(0, 4).equals(ZIP_MAGIC)) return false;
  return contentType === XLSX_CONTENT_TYPE || bytes.includes('xl/workbook.xml', 0, 'latin1');
}

/** Whether a document that did not decode still looks like a signed form (so intake says what is wrong with it). */
function looksLikeForm(text: string, format: 'xml' | 'json'): boolean {
  if (format === 'xml') return text.includes(MESSAGE_NAMESPACE) || text.includes(DSIG_NAMESPACE);
  return /"payload"\s*:/.test(text) && /"signature"\s*:/.test(text) && /"protected"\s*:/.test(text);
}

/**
 * Recognises a signed form (XML-DSig document or flattened JWS, via the contracts' decode), an
 * .xlsx workbook, or a nested mail, by content. A readable unsigned form and a form-shaped
 * document that does not decode are still forms: intake refuses them with the precise reason.
 */
export function recognisePart(bytes: Buffer, contentType: string, maxFormBytes = DEFAULT_DECODE_LIMITS.maxBytes): PartKind {
  const type = contentType.toLowerCase();
  if (type === 'message/rfc822' || type === 'message/global') return { kind: 'mail' };
  if (isXlsx(bytes, type)) return { kind: 'spreadsheet' };
  const first = firstNonBlank(bytes);
  if (first !== '<' && first !== '{') return { kind: 'other' };
  const format = first === '<' ? 'xml' : 'json';
  if (bytes.length > maxFormBytes) {
    const head = bytes.subarray(0, 4096).toString('utf8');
    return looksLikeForm(head, format) ? { kind: 'form-too-large' } : { kind: 'other' };
  }
  const result = decode(bytes, { limits: { maxBytes: maxFormBytes } });
  const doc = result.document;
  if (result.signed || doc !== undefined || looksLikeForm(bytes.toString('utf8'), format)) {
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    return {
      kind: 'form',
      format,
      ...(result.signature ? { signature: result.signature } : {}),
      ...(str(doc?.type) ? { formType: str(doc?.type) } : {}),
      ...(str(doc?.id) ? { documentId: str(doc?.id) } : {}),
      ...(str(doc?.from) ? { documentFrom: str(doc?.from) } : {}),
    };
  }
  return { kind: 'other' };
}
