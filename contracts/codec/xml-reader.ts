import { MESSAGE_NAMESPACE } from '../envelope';
import type { ArrayType, FieldType, ObjectType } from '../model/field-types';
import { documentError, joinPath, type ContractError } from '../validation/contract-error';
import { bodyTypeOf, isNumeric, MESSAGE_ORDER, messageTypeOf, type MessageDocument } from './message-document';
import type { XmlElement } from './xml-tree';

/** The XML-DSig namespace of an enveloped `<ds:Signature>`. */
export const DSIG_NAMESPACE = 'http://www.w3.org/2000/09/xmldsig#';

const NUMBER = /^-?[0-9]+(\.[0-9]+)?$/;

const elementsOf = (e: XmlElement) => e.children.filter((c): c is XmlElement => typeof c !== 'string');
const textOf = (e: XmlElement) => e.children.filter((c): c is string => typeof c === 'string').join('');

/** Reads the XML tree of a message into the JSON document model, guided by the declarations. */
class MessageReader {
  readonly errors: ContractError[] = [];

  private error(code: ContractError['code'], path: string, message: string): void {
    this.errors.push(documentError(code, message, path));
  }

  private checkElement(e: XmlElement, path: string, expectElements: boolean): void {
    for (const attr of Object.keys(e.attrs)) this.error('contract.unknown-field', `${path}@${attr}`, `attribute ${attr} on <${e.name}>: mmgw messages carry no attributes`);
    if (expectElements && textOf(e).trim() !== '') this.error('contract.type', path, `<${e.name}> holds elements; text is not allowed in it`);
  }

  private inNamespace(e: XmlElement, path: string): boolean {
    if (e.ns === MESSAGE_NAMESPACE) return true;
    this.error('contract.wrong-namespace', path, `<${e.name}> is in namespace "${e.ns}", not ${MESSAGE_NAMESPACE}`);
    return false;
  }

  /** An element read without a declaration: text, or an object of its children. */
  generic(e: XmlElement, path: string): unknown {
    const children = elementsOf(e);
    if (children.length === 0) return textOf(e);
    const out: Record<string, unknown> = {};
    for (const c of children) out[c.local] = this.generic(c, joinPath(path, c.local));
    return out;
  }

  value(e: XmlElement, type: FieldType, path: string): unknown {
    if (type.kind !== 'array' && type.kind !== 'object') return this.scalar(e, type, path);
    // Text where a list or an object is declared: kept as text, so validation reports one type error.
    if (elementsOf(e).length === 0 && textOf(e).trim() !== '') return this.generic(e, path);
    return type.kind === 'object' ? this.object(e, type, path) : this.array(e, type, path);
  }

  array(e: XmlElement, type: ArrayType, path: string): unknown[] {
    this.checkElement(e, path, true);
    const items: unknown[] = [];
    for (const c of elementsOf(e)) {
      const itemPath = `${path}[${items.length}]`;
      if (!this.inNamespace(c, itemPath)) continue;
      if (c.local !== type.item) {
        this.error('contract.unknown-field', itemPath, `<${c.name}> in <${e.name}>: each item must be an <${type.item}> element`);
        continue;
      }
      items.push(this.value(c, type.of, itemPath));
    }
    return items;
  }

  scalar(e: XmlElement, type: FieldType, path: string): unknown {
    this.checkElement(e, path, false);
    if (elementsOf(e).length > 0) return this.generic(e, path);
    const text = textOf(e);
    if (isNumeric(type)) return NUMBER.test(text) ? Number(text) : text;
    if (type.kind === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
    return text;
  }

  object(e: XmlElement, type: ObjectType | undefined, path: string): Record<string, unknown> {
    this.checkElement(e, path, true);
    const names = Object.keys(type?.fields ?? {});
    const out: Record<string, unknown> = {};
    let last = -1;
    for (const c of elementsOf(e)) {
      const childPath = joinPath(path, c.local);
      if (!this.inNamespace(c, childPath)) continue;
      if (Object.hasOwn(out, c.local)) {
        this.error('contract.duplicate-field', childPath, `<${c.local}> appears more than once`);
        continue;
      }
      const field = type !== undefined && Object.hasOwn(type.fields, c.local) ? type.fields[c.local] : undefined;
      if (field === undefined) {
        out[c.local] = this.generic(c, childPath);
        continue;
      }
      const index = names.indexOf(c.local);
      if (index < last) this.error('contract.order', childPath, `<${c.local}> must come before <${names[last]}> (declaration order)`);
      last = Math.max(last, index);
      out[c.local] = this.value(c, field.type, childPath);
    }
    return out;
  }

  body(e: XmlElement, type: unknown): Record<string, unknown> {
    this.checkElement(e, 'body', true);
    const [form, ...extra] = elementsOf(e);
    for (const x of extra) this.error('contract.unknown-field', `body.${x.local}`, `<body> holds one form; <${x.name}> is extra`);
    if (form === undefined || !this.inNamespace(form, 'body')) return {};
    const bodyType = bodyTypeOf(type);
    if (bodyType !== undefined && form.local !== type) {
      this.error('contract.body-mismatch', 'body', `<body> holds <${form.local}> but the envelope type is ${String(type)}`);
    }
    return this.object(form, bodyType, 'body');
  }

  message(root: XmlElement): { document: MessageDocument; signed: boolean } {
    this.checkElement(root, '', true);
    const children = elementsOf(root);
    const typeElement = children.find((c) => c.local === 'type' && c.ns === MESSAGE_NAMESPACE);
    const type = typeElement ? textOf(typeElement) : undefined;
    const envelope = messageTypeOf(type);
    const document: MessageDocument = {};
    let signed = false;
    let last = -1;
    children.forEach((c, i) => {
      if (c.local === 'Signature' && c.ns === DSIG_NAMESPACE) {
        if (i === children.length - 1) signed = true;
        else this.error('contract.order', c.local, '<ds:Signature> must be the last child of <Message>');
        return;
      }
      if (!this.inNamespace(c, c.local)) return;
      if (Object.hasOwn(document, c.local)) {
        this.error('contract.duplicate-field', c.local, `<${c.local}> appears more than once`);
        return;
      }
      const index = MESSAGE_ORDER.indexOf(c.local);
      if (index !== -1 && index < last) this.error('contract.order', c.local, `<${c.local}> must come before <${MESSAGE_ORDER[last]}> (declaration order)`);
      last = Math.max(last, index);
      const field = envelope.fields[c.local];
      if (c.local === 'body') document.body = this.body(c, type);
      else document[c.local] = field === undefined ? this.generic(c, c.local) : this.value(c, field.type, c.local);
    });
    return { document, signed };
  }
}

/** Reads a parsed `<Message>` into the JSON document model; `signed` says whether an enveloped ds:Signature closed it. */
export function readMessage(root: XmlElement): { document?: MessageDocument; signed: boolean; errors: ContractError[] } {
  if (root.local !== 'Message') {
    return { signed: false, errors: [documentError('contract.root-element', `the root element is <${root.name}>, not <Message>`)] };
  }
  if (root.ns !== MESSAGE_NAMESPACE) {
    return { signed: false, errors: [documentError('contract.wrong-namespace', `<Message> is in namespace "${root.ns}", not ${MESSAGE_NAMESPACE}`)] };
  }
  const reader = new MessageReader();
  const { document, signed } = reader.message(root);
  return { document, signed, errors: reader.errors };
}
