import { encode } from '../../../contracts/codec/encode';
import { decode } from '../../../contracts/codec/decode';
import type { MessageDocument } from '../../../contracts/codec/message-document';
import { validate } from '../../../contracts/validation/validate';
import { receiptCanonical, receiptXml, type ReceiptDocument } from '../../../gateway/intake/receipt-xml';
import { excC14n } from '../../../gateway/signing/xml-c14n';
import { parseXml } from '../../../gateway/signing/xml-tree';

// Intake writes the XML of its Receipts directly (issue 4 item 8: xmlbuilder2 was the largest CPU
// item of an XML accept); the bytes must stay the encoder's, or a repeat would not be answered
// with the same Receipt and verifiers reading the contract would see another document.
const receipt = (over: Partial<ReceiptDocument> = {}, body: Partial<ReceiptDocument['body']> = {}): ReceiptDocument => ({
  id: 'mmgw-20261129-0123456789abcdef', type: 'Receipt', version: '1.0', from: 'mmgw', to: ['op-cmcc'], sentAt: '2026-11-29T10:00:00.123Z',
  references: { inReplyTo: 'op-cmcc-20261129-b1a2b3c000001' },
  ...over,
  body: { messageId: 'op-cmcc-20261129-b1a2b3c000001', sha256: '0123456789abcdef'.repeat(4), acceptedAt: '2026-11-29T10:00:00.123Z', recipients: ['miit', 'ca-11', 'cncert'], ...body },
});
const encoded = (doc: ReceiptDocument): string => encode(doc as unknown as MessageDocument, 'xml');

describe('receiptXml: a Receipt written directly, byte for byte the encoder’s XML', () => {
  it.each([
    ['a Receipt as intake makes it', receipt()],
    ['one recipient, a message id with dots and colons', receipt({ references: { inReplyTo: 'cncert-2026.11:29_x' } }, { messageId: 'cncert-2026.11:29_x', recipients: ['ca-44'] })],
    ['many recipients, an instant with an offset', receipt({ sentAt: '2026-11-29T18:00:00+08:00' }, { acceptedAt: '2026-11-29T18:00:00+08:00', recipients: ['miit', 'cncert', ...[11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65].map((p) => `ca-${p}`)] })],
  ])('%s', (_what, doc) => {
    const xml = receiptXml(doc);
    expect(xml).toBe(encoded(doc));
    // receiptCanonical is what the canonicaliser makes of it (what signGatewayXml digests).
    expect(receiptCanonical(xml!)).toBe(excC14n(parseXml(xml!)));
    // And it reads back as a valid Receipt with the same fields.
    const back = decode(Buffer.from(xml!));
    expect(back.errors).toEqual([]);
    expect(validate(back.document!).errors).toEqual([]);
    expect(back.document).toMatchObject({ id: doc.id, to: doc.to, body: { messageId: doc.body.messageId, recipients: doc.body.recipients } });
  });

  it.each([
    ['an ampersand', receipt({ references: { inReplyTo: 'a&b-00000001' } })],
    ['a less-than sign', receipt({}, { messageId: 'a<b-00000001' })],
    ['non-ASCII text', receipt({ to: ['运营商'] })],
    ['a carriage return', receipt({}, { recipients: ['miit\r'] })],
    ['an empty value', receipt({ id: '' })],
    ['an empty list', receipt({}, { recipients: [] })],
  ])('leaves the document to the encoder when a value is not plain text: %s', (_what, doc) => {
    expect(receiptXml(doc)).toBeUndefined();
  });
});
