import { ENVELOPE_ORDER, envelopeFields } from '../envelope';
import { formByName } from '../forms';
import type { FieldType, ObjectType } from '../model/field-types';

/** A message as the JSON codec reads it: envelope fields and the form's `body`, not yet validated. */
export type MessageDocument = Record<string, unknown>;

/** The declared body of the form named by `type`, or undefined for an unknown form. */
export function bodyTypeOf(type: unknown): ObjectType | undefined {
  return typeof type === 'string' ? formByName(type)?.body : undefined;
}

/** The declaration of a whole message of form `type`: the envelope with its body. */
export function messageTypeOf(type: unknown): ObjectType {
  const body = bodyTypeOf(type);
  return {
    kind: 'object',
    fields: {
      ...envelopeFields.fields,
      body: { type: body ?? { kind: 'object', fields: {} }, required: true, label: '正文', labelEn: 'body' },
    },
  };
}

/** Envelope field names in document order, then `body`. */
export const MESSAGE_ORDER: readonly string[] = [...ENVELOPE_ORDER, 'body'];

/** Kinds carried as JSON numbers (and converted from XML text by the declaration). */
export function isNumeric(type: FieldType): boolean {
  return type.kind === 'integer' || type.kind === 'decimal' || type.kind === 'port';
}

/** Whether a JSON value is an object (not null, not a list). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A copy of `value` with object keys in declaration order (undeclared keys last, in their
 * own order), so both encoders write fields the way the form declares them.
 */
export function ordered(value: unknown, type: FieldType | undefined): unknown {
  if (Array.isArray(value)) return value.map((v) => ordered(v, type?.kind === 'array' ? type.of : undefined));
  if (!isRecord(value)) return value;
  const fields = type?.kind === 'object' ? type.fields : {};
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) if (key in value) out[key] = ordered(value[key], fields[key]?.type);
  for (const key of Object.keys(value)) if (!(key in out)) out[key] = ordered(value[key], undefined);
  return out;
}

/** A message with keys in document order: envelope, then body, each as declared. */
export function orderedMessage(doc: MessageDocument): MessageDocument {
  const type = messageTypeOf(doc.type);
  const out: Record<string, unknown> = {};
  for (const key of MESSAGE_ORDER) if (key in doc) out[key] = ordered(doc[key], type.fields[key]?.type);
  for (const key of Object.keys(doc)) if (!(key in out)) out[key] = doc[key];
  return out;
}
