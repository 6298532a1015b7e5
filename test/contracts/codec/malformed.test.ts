import { decode, encodeJson, encodeXml } from '../../../contracts/codec';
import { validateInput } from '../../../contracts/validation';
import { eachForm, exampleOf } from '../support';

const doc = exampleOf(eachForm[0][1]);
const xml = encodeXml(doc);
const json = encodeJson(doc);
const codes = (input: string | Uint8Array, limits?: { maxBytes?: number; maxDepth?: number }) => decode(input, { limits }).errors.map((e) => e.code);

describe('malformed input is refused with a clear error and no crash', () => {
  it('truncated XML, at every tenth cut', () => {
    for (let n = 1; n < xml.length - 12; n += Math.max(1, Math.floor(xml.length / 40))) {
      const r = decode(xml.slice(0, n));
      expect(r.ok).toBe(false);
      expect(['contract.malformed-xml', 'contract.unknown-format']).toContain(r.errors[0]?.code);
    }
  });

  it('truncated JSON', () => {
    for (let n = 1; n < json.length - 2; n += Math.max(1, Math.floor(json.length / 40))) {
      const r = decode(json.slice(0, n));
      expect(r.ok).toBe(false);
      expect(r.errors[0]?.code).toBe('contract.malformed-json');
      expect(r.errors[0]?.message).toMatch(/^the JSON cannot be parsed: /);
    }
  });

  it('wrong types, in JSON and in XML', () => {
    expect(validateInput(JSON.stringify({ ...doc, body: 'text' })).errors.map((e) => [e.code, e.path])).toEqual([['contract.type', 'body']]);
    const bad = xml.replace('<seq>1</seq>', '<seq>one</seq>').replace(/<to><code>cncert<\/code><\/to>/, '<to>cncert</to>');
    expect(validateInput(bad).errors.map((e) => [e.code, e.path])).toEqual([
      ['contract.type', 'to'],
      ['contract.type', 'body.samples[0].seq'],
    ]);
    expect(codes('[1,2]')).toEqual(['contract.root-element']);
    expect(codes('"a message"')).toEqual(['contract.unknown-format']);
  });

  it('DOCTYPE and ENTITY declarations are refused before parsing, entities never expanded', () => {
    const laughs = '<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' + xml.replace(/^<\?xml[^>]*>/, '').replace('张伟', '&b;');
    expect(codes(laughs)).toEqual(['contract.doctype-forbidden']);
    expect(codes('<!DOCTYPE Message SYSTEM "file:///etc/passwd"><Message xmlns="urn:mmgw:message:1"/>')).toEqual(['contract.doctype-forbidden']);
    expect(codes(xml.replace('<body>', '<!ENTITY x "y"><body>'))).toEqual(['contract.doctype-forbidden']);
    expect(decode(laughs).errors[0]?.message).toMatch(/<!DOCTYPE declaration at line 1, column \d+/);
    // The same text inside a comment or CDATA is not markup.
    expect(decode(xml.replace('<body>', '<!-- <!DOCTYPE x> --><body>')).errors).toEqual([]);
  });

  it('undefined entities and bare ampersands are malformed', () => {
    expect(codes(xml.replace('张伟', '&nbsp;'))).toEqual(['contract.malformed-xml']);
    expect(codes(xml.replace('张伟', 'AT&T'))).toEqual(['contract.malformed-xml']);
    expect(codes(xml.replace('张伟', '&#0;'))).toEqual(['contract.malformed-xml']);
  });

  it('processing instructions other than the XML declaration are refused', () => {
    expect(codes(xml.replace('<Message', '<?xml-stylesheet href="x.xsl"?><Message'))).toEqual(['contract.processing-instruction']);
    expect(codes(xml.replace('<body>', '<?php echo 1; ?><body>'))).toEqual(['contract.processing-instruction']);
  });

  it('10 MB of nesting is refused by depth, without recursion, quickly', () => {
    const tenMb = 10 * 1024 * 1024;
    const started = process.hrtime.bigint();
    expect(codes('['.repeat(tenMb), { maxBytes: 2 * tenMb })).toEqual(['contract.too-deep']);
    expect(codes('{"a":'.repeat(tenMb / 5), { maxBytes: 2 * tenMb })).toEqual(['contract.too-deep']);
    expect(codes('<a>'.repeat(tenMb / 3), { maxBytes: 2 * tenMb })).toEqual(['contract.too-deep']);
    expect(codes(`<Message xmlns="urn:mmgw:message:1">${'<a>'.repeat(tenMb / 3)}`, { maxBytes: 2 * tenMb })).toEqual(['contract.too-deep']);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(5000);
    // With the default 5 MiB limit the size check refuses it first.
    expect(codes('['.repeat(tenMb))).toEqual(['contract.too-large']);
    expect(codes(Buffer.from('<a>'.repeat(tenMb / 3)))).toEqual(['contract.too-large']);
  });

  it('depth and size limits are configurable', () => {
    expect(decode(xml, { limits: { maxDepth: 3 } }).errors[0]?.code).toBe('contract.too-deep');
    expect(decode(json, { limits: { maxDepth: 3 } }).errors[0]?.code).toBe('contract.too-deep');
    expect(decode(xml, { limits: { maxBytes: 100 } }).errors[0]?.message).toMatch(/more than the limit of 100 bytes/);
    expect(decode(xml).ok).toBe(true);
  });

  it('non-UTF-8 bytes are refused; a BOM is tolerated', () => {
    expect(codes(Buffer.concat([Buffer.from(xml.slice(0, 200)), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(xml.slice(200))]))).toEqual(['contract.encoding']);
    expect(codes(Buffer.from(`\uFEFF${json}`, 'utf16le'))).toEqual(['contract.encoding']);
    expect(codes(xml.replace('encoding="UTF-8"', 'encoding="GB2312"'))).toEqual(['contract.encoding']);
    expect(decode(Buffer.from(`\uFEFF${xml}`, 'utf8')).ok).toBe(true);
  });

  it('wrong namespace, wrong root, stray attributes, duplicates, disorder, a body naming another form', () => {
    expect(codes(xml.replace(' xmlns="urn:mmgw:message:1"', ''))).toEqual(['contract.wrong-namespace']);
    expect(codes(xml.replace('urn:mmgw:message:1', 'urn:other'))).toEqual(['contract.wrong-namespace']);
    expect(codes('<Other xmlns="urn:mmgw:message:1"/>')).toEqual(['contract.root-element']);
    expect(codes(xml.replace('<reporter>', '<reporter lang="zh">'))).toEqual(['contract.unknown-field']);
    expect(codes(xml.replace('<reporter>', '<x:reporter xmlns:x="urn:x">').replace('</reporter>', '</x:reporter>'))).toEqual(['contract.wrong-namespace']);
    expect(codes(xml.replace('</version>', '</version><version>1.0</version>'))).toEqual(['contract.duplicate-field']);
    expect(codes(xml.replace(/(<id>[^<]*<\/id>)(<type>[^<]*<\/type>)/, '$2$1'))).toEqual(['contract.order']);
    expect(codes(xml.replace('<body><SampleReport>', '<body><IncidentNotice>').replace('</SampleReport></body>', '</IncidentNotice></body>'))).toEqual(['contract.body-mismatch']);
    expect(codes(xml.replace('<samples><sample>', '<samples><row>').replace('</sample></samples>', '</row></samples>'))).toEqual(['contract.unknown-field']);
    expect(codes(xml.replace('<reporter>', 'loose text<reporter>'))).toEqual(['contract.type']);
  });

  it('empty and unknown formats', () => {
    expect(codes('')).toEqual(['contract.unknown-format']);
    expect(codes('   \n')).toEqual(['contract.unknown-format']);
    expect(codes('id=1&type=SampleReport')).toEqual(['contract.unknown-format']);
  });

  it('never throws on randomly damaged documents', () => {
    // A small deterministic PRNG (mulberry32) so a failure is reproducible.
    let seed = 20261129;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const alphabet = ['<', '>', '&', '"', '/', '!', '?', '[', ']', '{', '}', ':', ',', '\\', '\u0000', '中', ' '];
    for (const source of [xml, json]) {
      for (let i = 0; i < 300; i += 1) {
        const chars = [...source];
        for (let k = 0; k < 1 + Math.floor(random() * 4); k += 1) {
          const at = Math.floor(random() * chars.length);
          const op = random();
          if (op < 0.4) chars.splice(at, 1);
          else if (op < 0.8) chars.splice(at, 0, alphabet[Math.floor(random() * alphabet.length)] ?? '<');
          else chars.splice(at, Math.floor(random() * 20));
        }
        expect(() => validateInput(chars.join(''))).not.toThrow();
      }
    }
  });
});

describe('ambiguous documents are refused', () => {
  it('a key repeated in one JSON object, at any depth (JSON.parse would silently keep the last)', () => {
    expect(codes(json.replace('"version": "1.0",', '"version": "1.0", "version": "2.0",'))).toEqual(['contract.duplicate-field']);
    expect(codes(json.replace('"md5":', '"md5": "x", "md5":'))).toEqual(['contract.duplicate-field']);
    expect(decode(json.replace('"version": "1.0",', '"version": "1.0", "version": "2.0",')).errors[0]?.message).toMatch(/the key "version" appears twice/);
    // The same key in sibling objects, or as a value, is fine; escapes are compared decoded.
    expect(codes('{"a":{"k":1},"b":{"k":2},"c":"k","d":["k","k"]}')).toEqual([]);
    expect(codes('{"k":1,"\\u006b":2}')).toEqual(['contract.duplicate-field']);
  });

  it('xsi:schemaLocation on <Message> is tolerated, other attributes are not', () => {
    const located = xml.replace('<Message xmlns="urn:mmgw:message:1">', '<Message xmlns="urn:mmgw:message:1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:mmgw:message:1 mmgw-message.xsd">');
    expect(decode(located).errors).toEqual([]);
    expect(codes(xml.replace('<Message xmlns="urn:mmgw:message:1">', '<Message xmlns="urn:mmgw:message:1" lang="zh">'))).toEqual(['contract.unknown-field']);
  });
});
