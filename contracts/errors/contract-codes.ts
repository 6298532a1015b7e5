import { defineCodes } from './code-info';

const invalid = (description: string) => ({ description, http: 422, exit: 1 });
const refused = (description: string) => ({ description, http: 400, exit: 1 });

/**
 * Codes of the contracts (issue 2, item 2): a document that cannot be read, or that breaks a
 * rule of its form's declaration. Every one is an invalid input: exit 1, HTTP 400 or 422.
 */
export const contractCodes = defineCodes('contract', {
  // Reading: the bytes are not a document we can read.
  'contract.too-large': { description: 'The document is larger than the configured size limit.', http: 413, exit: 1 },
  'contract.too-deep': refused('The document nests elements, arrays or objects deeper than the configured limit.'),
  'contract.encoding': refused('The document is not UTF-8 encoded text.'),
  'contract.unknown-format': refused('The document is neither XML nor JSON.'),
  'contract.malformed-xml': refused('The XML is not well-formed (truncated, mismatched tags, an undefined entity …).'),
  'contract.malformed-json': refused('The JSON cannot be parsed (truncated, a syntax error …).'),
  'contract.doctype-forbidden': refused('The XML contains a DOCTYPE or ENTITY declaration; mmgw refuses them before parsing and never expands entities.'),
  'contract.processing-instruction': refused('The XML contains a processing instruction other than the XML declaration.'),
  'contract.wrong-namespace': refused('An XML element is not in the mmgw message namespace urn:mmgw:message:1 (or, for the enveloped signature, the XML-DSig namespace).'),
  'contract.root-element': refused('The document is not an mmgw Message (wrong XML root element, or JSON that is not an object).'),
  'contract.duplicate-field': refused('A field appears more than once.'),
  'contract.order': refused('An XML element is out of the order its form declares.'),
  'contract.body-mismatch': refused('The XML body element does not name the form given in the envelope type.'),
  // Validation against the declarations.
  'contract.required': invalid('A required field is missing.'),
  'contract.required-when': invalid('A field that a declared cross-field rule requires in this case is missing.'),
  'contract.unknown-field': invalid('The document has a field its form does not declare.'),
  'contract.type': invalid('A field has the wrong type (e.g. text where a number or a list is expected).'),
  'contract.unknown-form': invalid('The envelope type names no declared form.'),
  'contract.version': invalid('The contract version is not compatible with 1.0.'),
  'contract.pattern': invalid('A text field does not match the pattern its form declares.'),
  'contract.too-short': invalid('A text field is shorter than its declared minimum length (or empty).'),
  'contract.too-long': invalid('A text field is longer than its declared maximum length.'),
  'contract.single-line': invalid('A single-line text field contains a line break.'),
  'contract.character': invalid('A text field contains a character that XML cannot carry (a control character or a lone surrogate).'),
  'contract.min-items': invalid('A list has fewer items than its declared minimum.'),
  'contract.max-items': invalid('A list has more items than its declared maximum.'),
  'contract.minimum': invalid('A number is below its declared minimum.'),
  'contract.maximum': invalid('A number is above its declared maximum.'),
  'contract.fraction-digits': invalid('A decimal number has more decimal places than declared.'),
  'contract.enum': invalid('The value is not one of the declared choices.'),
  'contract.datetime': invalid('The value is not an ISO 8601 date and time with a real calendar date and time.'),
  'contract.datetime-offset': invalid('The date and time has no explicit offset (Z or ±hh:mm).'),
  'contract.date': invalid('The value is not a real calendar date YYYY-MM-DD (or month YYYY-MM).'),
  'contract.md5': invalid('The value is not an MD5 digest (32 hexadecimal digits).'),
  'contract.sha256': invalid('The value is not a SHA-256 digest (64 hexadecimal digits).'),
  'contract.malware-name': invalid('The value is not a canonical malware name per YD/T 2439-2012 (<os>.<attribute>.<family>.<variant>[.[中文扩展]]).'),
  'contract.ip': invalid('The value is not an IPv4 or IPv6 address.'),
  'contract.port': invalid('The value is not a port number 1–65535.'),
  'contract.domain': invalid('The value is not a domain name.'),
  'contract.url': invalid('The value is not an http(s) URL.'),
  'contract.province': invalid('The value is not a GB/T 2260 province code.'),
  'contract.institution': invalid('The value is not an institution code of the mechanism (miit, cncert, mmgw, ca-NN, op-*, dr-*, rr-*).'),
  'contract.email': invalid('The value is not an e-mail address.'),
  'contract.phone': invalid('The value is not a telephone number.'),
  'contract.message-id': invalid('The value is not a message id (8–128 of A–Z a–z 0–9 . _ : -, starting with a letter or digit).'),
});

export type ContractCode = keyof typeof contractCodes;
