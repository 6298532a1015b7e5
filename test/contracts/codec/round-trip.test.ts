import { decode, decodeJson, decodeXml, encode, encodeJson, encodeXml, type MessageDocument } from '../../../contracts/codec';
import { eachForm, exampleOf, walkScalars } from '../support';

/** Text that breaks naive codecs: CJK, full-width punctuation, emoji, markup characters, entity look-alikes, spaces, line ends. */
const NASTY = '  恶意程序「样本」，全角：！？ 😀🇨🇳 <b>&amp; & "q" \'a\' &#13; &copy;\n第二行\r\n第三行\t尾  ';

function viaXml(doc: MessageDocument): MessageDocument | undefined {
  const r = decodeXml(encodeXml(doc));
  expect(r.errors).toEqual([]);
  return r.document;
}

describe('codecs round-trip every form losslessly', () => {
  it.each(eachForm)('%s: JSON → XML → JSON gives the same document', (_name, form) => {
    const doc = exampleOf(form);
    expect(viaXml(doc)).toEqual(doc);
  });

  it.each(eachForm)('%s: JSON → JSON gives the same document', (_name, form) => {
    const doc = exampleOf(form);
    const r = decodeJson(encodeJson(doc));
    expect(r.ok).toBe(true);
    expect(r.document).toEqual(doc);
  });

  it.each(eachForm)('%s: every text field survives CJK, emoji, markup and line ends', (_name, form) => {
    const doc = exampleOf(form);
    let replaced = 0;
    walkScalars(doc.body, form.body, 'body', (kind, _v, _p, set) => {
      if (kind === 'string') {
        set(NASTY);
        replaced += 1;
      }
    });
    expect(replaced).toBeGreaterThan(0);
    expect(viaXml(doc)).toEqual(doc);
    expect(decodeXml(encodeXml(doc, { pretty: true })).document).toEqual(doc);
    const r = decode(encodeJson(doc));
    expect(r.document).toEqual(doc);
  });

  it.each(eachForm)('%s: numbers come back as numbers, pretty-printed XML reads the same', (_name, form) => {
    const doc = exampleOf(form);
    const r = decodeXml(encodeXml(doc, { pretty: true }));
    expect(r.errors).toEqual([]);
    expect(r.document).toEqual(doc);
  });
});

describe('XML shape', () => {
  const doc = exampleOf(eachForm[0][1]);

  it('writes the envelope in order, lists as wrapper + items, the form inside <body>', () => {
    const xml = encodeXml({ ...doc, cc: ['ca-11', 'cncert'], references: { taskNumber: 'T-2026-001' } });
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?><Message xmlns="urn:mmgw:message:1"><id>')).toBe(true);
    expect(xml).toMatch(/<\/from><to><code>cncert<\/code><\/to><cc><code>ca-11<\/code><code>cncert<\/code><\/cc><sentAt>[^<]+<\/sentAt><references><taskNumber>T-2026-001<\/taskNumber><\/references><body><SampleReport>/);
    expect(xml.trimEnd().endsWith('</body></Message>')).toBe(true);
  });

  it('keeps an empty list apart from an absent one, and an empty object', () => {
    const withEmpty = { ...doc, cc: [], references: {} };
    expect(encodeXml(withEmpty)).toContain('<cc/>');
    expect(viaXml(withEmpty)).toEqual(withEmpty);
    const { cc: _cc, ...without } = withEmpty;
    expect(viaXml(without)).toEqual(without);
    expect(viaXml(without)).not.toHaveProperty('cc');
  });

  it('keeps whitespace-only and empty text apart, compact or pretty', () => {
    const spaced = { ...doc, body: { ...(doc.body as Record<string, unknown>), reporter: '   ', reportingUnit: '', remarks: '\n' } };
    expect(viaXml(spaced)).toEqual(spaced);
    expect(decodeXml(encodeXml(spaced, { pretty: true })).document).toEqual(spaced);
  });

  it('reads character references, CDATA and a namespace prefix', () => {
    const xml = encodeXml(doc)
      .replace(' xmlns="urn:mmgw:message:1"', ' xmlns:m="urn:mmgw:message:1"')
      .replace(/<(\/?)([A-Za-z]+)/g, (_w, slash: string, name: string) => `<${slash}m:${name}`)
      .replace('<m:reporter>张伟</m:reporter>', '<m:reporter>&#x5F20;<![CDATA[伟]]></m:reporter>');
    const r = decodeXml(xml);
    expect(r.errors).toEqual([]);
    expect(r.document).toEqual(doc);
  });

  it('tolerates an enveloped ds:Signature as the last child and says the message is signed', () => {
    const signature = '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo/><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>';
    const xml = encodeXml(doc).replace('</Message>', `${signature}</Message>`);
    const r = decode(xml);
    expect(r).toMatchObject({ ok: true, format: 'xml', signed: true, signature: 'xml-dsig' });
    expect(r.document).toEqual(doc);
    expect(decode(encodeXml(doc)).signed).toBe(false);
  });

  it('refuses a ds:Signature that is not the last child', () => {
    const xml = encodeXml(doc).replace('<body>', '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/><body>');
    expect(decode(xml).errors.map((e) => e.code)).toEqual(['contract.order']);
  });
});

describe('decode tells the formats apart by content', () => {
  const doc = exampleOf(eachForm[0][1]);

  it('reads XML and JSON given as bytes, with or without a BOM and leading blanks', () => {
    for (const text of [encodeXml(doc), encodeJson(doc)]) {
      const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`\n  ${text}`, 'utf8')]);
      const r = decode(bytes);
      expect(r.errors).toEqual([]);
      expect(r.format).toBe(text.startsWith('<') ? 'xml' : 'json');
      expect(r.document).toEqual(doc);
    }
  });

  it('encode writes either format, and decode reads it back', () => {
    for (const format of ['xml', 'json'] as const) {
      const r = decode(encode(doc, format));
      expect(r.format).toBe(format);
      expect(r.document).toEqual(doc);
    }
  });

  it('recognises a flattened JWS and decodes its payload without verifying it', () => {
    const jws = { protected: Buffer.from('{"alg":"ES256"}').toString('base64url'), payload: Buffer.from(JSON.stringify(doc)).toString('base64url'), signature: 'c2ln' };
    const r = decode(JSON.stringify(jws));
    expect(r).toMatchObject({ ok: true, format: 'json', signed: true, signature: 'jws' });
    expect(r.document).toEqual(doc);
  });
});
