import { isRecord, MESSAGE_ORDER, type MessageDocument } from '../codec/message-document';
import { envelopeFields } from '../envelope';
import type { ContractCode } from '../errors/contract-codes';
import { formByName } from '../forms';
import type { Field, FieldType, ObjectType } from '../model/field-types';
import { describe } from './checks/check';
import { scalarChecks } from './checks';
import { DOCUMENT_SOURCE, joinPath, type ContractError } from './contract-error';
import { checkCrossRules } from './cross-rules';
import { resolveOptions, type ResolvedValidationOptions, type ValidationOptions } from './options';

/** The outcome of validate: every error at once, and the normalised document. */
export interface ValidationResult {
  readonly ok: boolean;
  /** The document normalised (MD5 lower case, domains in punycode, URLs refanged …), fields in declaration order, unknown fields dropped. */
  readonly value: MessageDocument;
  readonly errors: readonly ContractError[];
}

const BODY_FIELD: Field = { type: { kind: 'object', fields: {} }, required: true, label: '正文', labelEn: 'body' };

class Validator {
  readonly errors: ContractError[] = [];

  constructor(private readonly options: ResolvedValidationOptions) {}

  error(code: ContractCode, path: string, field: Field | undefined, rule: string, source: string): void {
    const name = field ? `${field.labelEn} (${field.label})` : path;
    this.errors.push({ code, path, message: `${name} ${rule}`, source });
  }

  value(v: unknown, field: Field, path: string, inherited: string): unknown {
    const source = field.source ?? inherited;
    const type: FieldType = field.type;
    if (type.kind === 'object') return this.object(v, type, path, source, field);
    if (type.kind === 'array') {
      if (!Array.isArray(v)) {
        this.error('contract.type', path, field, `must be a list, got ${describe(v)}`, source);
        return v;
      }
      if (type.minItems !== undefined && v.length < type.minItems) this.error('contract.min-items', path, field, `must have at least ${type.minItems} item${type.minItems > 1 ? 's' : ''}, got ${v.length}`, source);
      if (type.maxItems !== undefined && v.length > type.maxItems) this.error('contract.max-items', path, field, `must have at most ${type.maxItems} items, got ${v.length}`, source);
      const itemField: Field = { ...field, type: type.of, source };
      return v.map((item, i) => this.value(item, itemField, `${path}[${i}]`, source));
    }
    const result = scalarChecks[type.kind](v, type, this.options);
    if (result.ok) return result.value;
    this.error(result.code, path, field, result.rule, source);
    return v;
  }

  object(v: unknown, type: ObjectType, path: string, source: string, field?: Field): unknown {
    if (!isRecord(v)) {
      this.error('contract.type', path, field, `must be an object, got ${describe(v)}`, source);
      return v;
    }
    const out: Record<string, unknown> = {};
    for (const [name, f] of Object.entries(type.fields)) {
      const x = v[name];
      const p = joinPath(path, name);
      if (x === undefined) {
        if (f.required) this.error('contract.required', p, f, 'is required', f.source ?? source);
      } else if (x === null) {
        this.error('contract.type', p, f, 'must not be null (leave an empty optional field out)', f.source ?? source);
      } else {
        out[name] = this.value(x, f, p, source);
      }
    }
    for (const key of Object.keys(v)) {
      if (!Object.hasOwn(type.fields, key)) {
        this.errors.push({ code: 'contract.unknown-field', path: joinPath(path, key), message: `${key} is not a declared field here (declared: ${Object.keys(type.fields).join(', ')})`, source });
      }
    }
    this.errors.push(...checkCrossRules(v, type, path));
    return out;
  }

  message(doc: unknown): MessageDocument {
    if (!isRecord(doc)) {
      this.errors.push({ code: 'contract.root-element', path: '', message: `the document must be a message object, got ${describe(doc)}`, source: DOCUMENT_SOURCE });
      return {};
    }
    const { body, ...envelope } = doc;
    const out = this.object(envelope, envelopeFields, '', DOCUMENT_SOURCE) as Record<string, unknown>;
    const type = envelopeFields.fields.type;
    const form = typeof out.type === 'string' ? formByName(out.type) : undefined;
    if (typeof out.type === 'string' && form === undefined && !this.errors.some((e) => e.path === 'type')) {
      this.error('contract.unknown-form', 'type', type, `names no declared form: ${JSON.stringify(out.type)}`, DOCUMENT_SOURCE);
    }
    const version = typeof out.version === 'string' ? /^([0-9]+)\./.exec(out.version) : null;
    if (version && !this.options.acceptedMajorVersions.includes(Number(version[1]))) {
      this.error('contract.version', 'version', envelopeFields.fields.version, `must be compatible with ${this.options.acceptedMajorVersions.map((m) => `${m}.x`).join(' or ')}, got ${JSON.stringify(out.version)}`, DOCUMENT_SOURCE);
    }
    if (body === undefined) this.error('contract.required', 'body', BODY_FIELD, 'is required', form?.source ?? DOCUMENT_SOURCE);
    else if (form !== undefined) out.body = this.object(body, form.body, 'body', form.source, { ...BODY_FIELD, label: form.title, labelEn: `${form.name} body` });
    else out.body = body;
    const ordered: Record<string, unknown> = {};
    for (const key of MESSAGE_ORDER) if (key in out) ordered[key] = out[key];
    return ordered;
  }
}

/**
 * Validates a message (in the JSON document model, as decode gives it) against the envelope
 * and its form's declaration, with the domain checks and declared cross-field rules. Reports
 * every error at once, each with its path, the rule broken and its source.
 */
export function validate(doc: unknown, options: ValidationOptions = {}): ValidationResult {
  const v = new Validator(resolveOptions(options));
  const value = v.message(doc);
  return { ok: v.errors.length === 0, value, errors: v.errors };
}
