import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { DSIG_NAMESPACE } from '../codec/xml-reader';
import { CONTRACT_VERSION, envelopeFields, MESSAGE_NAMESPACE } from '../envelope';
import { forms } from '../forms';
import type { Field, FieldType, ObjectType, ScalarType } from '../model/field-types';
import { DEFAULT_VALIDATION_OPTIONS } from '../validation/options';
import { PROVINCES } from '../validation/provinces';
import { domainPatterns, xsdPattern } from './patterns';

const XS = 'http://www.w3.org/2001/XMLSchema';
const patterns = domainPatterns(Object.keys(DEFAULT_VALIDATION_OPTIONS.malwareOs), Object.keys(DEFAULT_VALIDATION_OPTIONS.malwareAttributes));

/** Named simple types of the domain kinds, declared once at the top of the schema. */
const NAMED: Partial<Record<ScalarType['kind'], { name: string; base: string; doc: string; pattern?: string; maxLength?: number }>> = {
  md5: { name: 'MD5', base: 'xs:string', doc: 'MD5: 32 hexadecimal digits', pattern: patterns.md5 },
  sha256: { name: 'SHA256', base: 'xs:string', doc: 'SHA-256: 64 hexadecimal digits', pattern: patterns.sha256 },
  'malware-name': { name: 'MalwareName', base: 'xs:string', doc: 'YD/T 2439-2012 <os>.<attribute>.<family>.<variant>[.[中文扩展]]', pattern: patterns['malware-name'] },
  ip: { name: 'IpAddress', base: 'xs:string', doc: 'IPv4 or IPv6 address', pattern: patterns.ip },
  port: { name: 'Port', base: 'xs:int', doc: 'port 1–65535' },
  domain: { name: 'DomainName', base: 'xs:string', doc: 'domain name (IDN or punycode; defanged [.] accepted)', pattern: patterns.domain },
  url: { name: 'Url', base: 'xs:string', doc: 'http(s) URL (defanged hxxp://, [.], [:] accepted)', pattern: patterns.url },
  province: { name: 'Province', base: 'xs:string', doc: 'GB/T 2260 province code' },
  institution: { name: 'Institution', base: 'xs:string', doc: 'institution code: miit, cncert, mmgw, ca-NN, op-*, dr-*, rr-*', pattern: patterns.institution },
  email: { name: 'Email', base: 'xs:string', doc: 'e-mail address', pattern: patterns.email, maxLength: 254 },
  phone: { name: 'Phone', base: 'xs:string', doc: 'telephone number', pattern: patterns.phone, maxLength: 40 },
  'message-id': { name: 'MessageId', base: 'xs:string', doc: 'message id', pattern: patterns['message-id'] },
  datetime: { name: 'DateTime', base: 'xs:dateTime', doc: 'ISO 8601 date and time with an explicit offset', pattern: patterns.datetime },
  date: { name: 'Date', base: 'xs:date', doc: 'calendar date YYYY-MM-DD', pattern: patterns.date },
  month: { name: 'Month', base: 'xs:gYearMonth', doc: 'month YYYY-MM', pattern: patterns.month },
};

function documentation(e: XMLBuilder, zh: string | undefined, en: string, more: readonly string[] = []): void {
  const a = e.ele('xs:annotation');
  if (zh !== undefined) a.ele('xs:documentation', { 'xml:lang': 'zh' }).txt(zh);
  for (const text of [en, ...more]) a.ele('xs:documentation', { 'xml:lang': 'en' }).txt(text);
}

function facet(r: XMLBuilder, name: string, value: string | number): void {
  r.ele(`xs:${name}`, { value: String(value) });
}

function writeNamedTypes(schema: XMLBuilder): void {
  for (const [kind, t] of Object.entries(NAMED)) {
    const s = schema.ele('xs:simpleType', { name: t.name });
    documentation(s, undefined, t.doc);
    const r = s.ele('xs:restriction', { base: t.base });
    if (kind === 'port') {
      facet(r, 'minInclusive', 1);
      facet(r, 'maxInclusive', 65535);
    }
    if (kind === 'province') for (const [code, name] of Object.entries(PROVINCES)) documentation(r.ele('xs:enumeration', { value: code }), name, `province ${code}`);
    if (t.maxLength !== undefined) facet(r, 'maxLength', t.maxLength);
    if (t.pattern !== undefined) facet(r, 'pattern', t.pattern);
  }
}

function writeScalar(e: XMLBuilder, t: ScalarType): void {
  const named = NAMED[t.kind];
  if (named !== undefined) {
    e.att('type', named.name);
    return;
  }
  if (t.kind === 'boolean') {
    e.att('type', 'xs:boolean');
    return;
  }
  const base = t.kind === 'integer' ? 'xs:integer' : t.kind === 'decimal' ? 'xs:decimal' : 'xs:string';
  const r = e.ele('xs:simpleType').ele('xs:restriction', { base });
  switch (t.kind) {
    case 'string':
      if (t.minLength !== undefined) facet(r, 'minLength', t.minLength);
      if (t.maxLength !== undefined) facet(r, 'maxLength', t.maxLength);
      if (t.pattern !== undefined) facet(r, 'pattern', xsdPattern(t.pattern));
      else if (!t.multiline) facet(r, 'pattern', patterns.singleLine);
      break;
    case 'integer':
      if (t.minimum !== undefined) facet(r, 'minInclusive', t.minimum);
      if (t.maximum !== undefined) facet(r, 'maxInclusive', t.maximum);
      break;
    case 'decimal':
      if (t.fractionDigits !== undefined) facet(r, 'fractionDigits', t.fractionDigits);
      if (t.minimum !== undefined) facet(r, 'minInclusive', t.minimum);
      break;
    case 'enum':
      for (const v of t.values) {
        const en = r.ele('xs:enumeration', { value: v });
        if (t.labels?.[v] !== undefined) documentation(en, t.labels[v], v);
      }
      break;
    default:
      throw new Error(`no XSD type for ${t.kind}`);
  }
}

function writeType(e: XMLBuilder, t: FieldType): void {
  if (t.kind === 'object') writeObject(e.ele('xs:complexType'), t);
  else if (t.kind === 'array') {
    const item = e.ele('xs:complexType').ele('xs:sequence').ele('xs:element', {
      name: t.item,
      minOccurs: String(t.minItems ?? 0),
      maxOccurs: t.maxItems !== undefined ? String(t.maxItems) : 'unbounded',
    });
    writeType(item, t.of);
  } else writeScalar(e, t);
}

function writeField(sequence: XMLBuilder, name: string, f: Field): void {
  const e = sequence.ele('xs:element', { name, ...(f.required ? {} : { minOccurs: '0' }) });
  documentation(e, f.label, f.source ? `${f.labelEn} (${f.source})` : f.labelEn);
  writeType(e, f.type);
}

/** Writes an object's fields as a sequence; its annotation (title and cross-field rules, which XSD 1.0 cannot check) comes first. */
function writeObject(complexType: XMLBuilder, t: ObjectType, title?: { zh: string; en: string }): XMLBuilder {
  const rules = (t.rules ?? []).map((rule) => `${rule.field} is required when any of ${rule.when.join(', ')} is given: ${rule.message} (${rule.source}; checked by mmgw validation, not by this schema)`);
  const [first, ...more] = rules;
  if (title !== undefined) documentation(complexType, title.zh, title.en, rules);
  else if (first !== undefined) documentation(complexType, undefined, first, more);
  const sequence = complexType.ele('xs:sequence');
  for (const [name, f] of Object.entries(t.fields)) writeField(sequence, name, f);
  return sequence;
}

/** The XSD of every mmgw message, derived from the envelope and form declarations. */
export function generateXsd(): string {
  const schema = create({ version: '1.0', encoding: 'UTF-8' }).ele(XS, 'xs:schema', {
    xmlns: MESSAGE_NAMESPACE,
    targetNamespace: MESSAGE_NAMESPACE,
    elementFormDefault: 'qualified',
    version: CONTRACT_VERSION,
  });
  documentation(schema, undefined, 'mmgw message: the envelope and the form named by <type>. Generated from contracts/ by `npm run contracts:generate`; do not edit.');
  const message = schema.ele('xs:element', { name: 'Message' });
  const sequence = writeObject(message.ele('xs:complexType'), {
    kind: 'object',
    fields: {
      ...envelopeFields.fields,
      type: { ...(envelopeFields.fields.type as Field), type: { kind: 'enum', values: forms.map((f) => f.name) } },
      version: { ...(envelopeFields.fields.version as Field), type: { kind: 'string', pattern: `^(${DEFAULT_VALIDATION_OPTIONS.acceptedMajorVersions.join('|')})\\.[0-9]+$` } },
    },
  });
  const body = sequence.ele('xs:element', { name: 'body' });
  documentation(body, '正文', 'the form named by <type>');
  const choice = body.ele('xs:complexType').ele('xs:choice');
  for (const f of forms) choice.ele('xs:element', { name: f.name, type: f.name });
  sequence.ele('xs:any', { namespace: DSIG_NAMESPACE, processContents: 'skip', minOccurs: '0' });
  for (const f of forms) {
    writeObject(schema.ele('xs:complexType', { name: f.name }), f.body, { zh: f.title, en: `${f.titleEn} (${f.source})` });
  }
  writeNamedTypes(schema);
  return `${schema.end({ prettyPrint: true })}\n`;
}
