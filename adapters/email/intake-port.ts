import { decode } from '../../contracts/codec';
import type { Intake } from '../../gateway/intake';
import type { IntakeOutcome, IntakePort } from './ports';

/** The fields the reply needs of the submitted document, read once (undefined when it cannot be decoded). */
function fieldsOf(bytes: Buffer): { type?: string; from?: string } {
  const doc = decode(bytes).document;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return { type: str(doc?.type), from: str(doc?.from) };
}

/**
 * The e-mail channel's IntakePort bound to the gateway's Intake: the same use case as the API,
 * with no authenticated caller (the signer is the sender, never `From:`). Idempotent through
 * intake's dedupe: the same form by API and by e-mail is accepted once and answered the same.
 * The signed Receipt or Rejection is passed on as `document` for the reply to attach.
 */
export function intakePortFor(intake: Pick<Intake, 'submit'>): IntakePort {
  return {
    async submitForm(bytes) {
      const out = await intake.submit({ bytes });
      const fields = fieldsOf(bytes);
      const formType = fields.type;
      const typed = formType === undefined ? {} : { formType };
      // Accepted means verified: the document's `from` is its signer, the institution the reply also goes to.
      const institution = out.accepted ? fields.from : undefined;
      if (out.accepted) return { outcome: 'accepted', messageId: out.messageId, ...typed, document: out.receipt, ...(institution ? { institution } : {}) };
      const first = out.errors[0];
      const reason = out.errors.map((e) => `${e.code}${e.path === undefined ? '' : ` (${e.path})`}: ${e.message}`).join('; ');
      const result: IntakeOutcome = { outcome: 'rejected', code: first?.code ?? 'intake.rejected', reason, ...typed, document: out.rejection };
      return result;
    },
  };
}
