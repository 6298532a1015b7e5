import { DOMParser } from '@xmldom/xmldom';
import { ExclusiveCanonicalization } from 'xml-crypto';
import { excC14n } from '../../../gateway/signing/xml-c14n';
import { parseXml, XmlSyntaxError } from '../../../gateway/signing/xml-tree';
import { messageXml } from './fixtures';

// The verifier's own parser and exclusive c14n must produce byte for byte what xml-crypto's
// canonicaliser (over xmldom) produces, which is what the signer digests.
const reference = (xml: string): string => new ExclusiveCanonicalization().process(new DOMParser().parseFromString(xml, 'text/xml').documentElement as unknown as Element, {});

const DOCUMENTS: [string, string][] = [
  ['the message shape', messageXml()],
  ['default namespace, then none, then back', '<a xmlns="urn:x"><b xmlns=""><c xmlns="urn:x"/></b></a>'],
  ['prefixes used and unused', '<p:a xmlns:p="urn:p" xmlns:q="urn:q" xmlns:unused="urn:u"><q:b/><c q:at="1" p:at="2" z="3" a="4"/></p:a>'],
  ['a prefix redeclared below', '<p:a xmlns:p="urn:1"><p:b xmlns:p="urn:2"><p:c/></p:b><p:d xmlns:p="urn:1"/></p:a>'],
  ['attribute sort: no namespace first, then by namespace URI', '<a xmlns:z="urn:a" xmlns:b="urn:z" b:x="1" z:y="2" c="3" a="4"/>'],
  ['escapes in text and attributes', '<a t="&lt;&amp;&quot;&#9;&#10;&#13;&gt;\'">x &lt; y &amp;&amp; z &gt; w &#13; "q" \'s\'</a>'],
  ['CDATA, comments and character references', '<a><![CDATA[<b>&amp;</b>]]><!-- gone -->&#x4E2D;&#25991;<b/></a>'],
  ['whitespace and line ends in text and attributes', '<a  x = "1\n2\t3" >\r\n  text\r  <b\n/>\n</a>'],
  ['xml: attributes', '<a xml:lang="zh-CN"><b xml:space="preserve"> </b></a>'],
  ['self-closing and empty', '<a><b/><c></c><d> </d></a>'],
  ['unicode names', '<报文 xmlns="urn:m"><发送单位>op-cmcc</发送单位></报文>'],
];

describe('exclusive c14n over the strict parser', () => {
  it.each(DOCUMENTS)('equals xml-crypto over xmldom: %s', (_name, xml) => {
    expect(excC14n(parseXml(xml))).toBe(reference(xml));
  });

  it('leaves out the omitted subtree (enveloped-signature) and renders a subtree with the namespaces it uses', () => {
    const root = parseXml('<m:a xmlns:m="urn:m" xmlns:ds="urn:ds"><m:b/><ds:S><ds:I x="1"/></ds:S></m:a>');
    const sig = root.children[1] as Exclude<(typeof root.children)[number], string>;
    expect(excC14n(root, sig)).toBe('<m:a xmlns:m="urn:m"><m:b></m:b></m:a>');
    expect(excC14n(sig.children[0] as typeof sig)).toBe('<ds:I xmlns:ds="urn:ds" x="1"></ds:I>');
  });

  it.each([
    ['mismatched end tag', '<a><b></c></a>', /does not close <b>/],
    ['unclosed element', '<a><b></a>', /does not close <b>|not closed/],
    ['undeclared prefix', '<p:a/>', /prefix p .* not declared/],
    ['undeclared attribute prefix', '<a p:x="1"/>', /prefix p of attribute/],
    ['repeated attribute', '<a x="1" x="2"/>', /repeated/],
    ['same expanded attribute name', '<a xmlns:p="urn:1" xmlns:q="urn:1" p:x="1" q:x="2"/>', /are the same/],
    ['DOCTYPE', '<!DOCTYPE a><a/>', /DOCTYPE/],
    ['processing instruction', '<a><?php x?></a>', /processing instructions/],
    ['unknown entity', '<a>&nbsp;</a>', /&/],
    ['bare &', '<a>a & b</a>', /&/],
    ['< in an attribute', '<a x="<"/>', /malformed/],
    ['text after the root', '<a/>x', /after the document element/],
    ['two roots', '<a/><b/>', /after the document element|second/],
    ['a non-UTF-8 declaration', '<?xml version="1.0" encoding="GBK"?><a/>', /UTF-8/],
    ['a forbidden character', '<a>\u0001</a>', /character/],
    ['a reference to a forbidden character', '<a>&#0;</a>', /character/],
    ['xmlns:p=""', '<a xmlns:p=""/>', /not allowed/],
    ['nothing', '   ', /no document element/],
    ['nesting deeper than 200', `${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`, /nested more than 200/],
  ])('refuses %s', (_name, xml, message) => {
    expect(() => parseXml(xml)).toThrow(XmlSyntaxError);
    expect(() => parseXml(xml)).toThrow(message);
  });
});
