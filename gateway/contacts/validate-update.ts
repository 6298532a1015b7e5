import { GatewayError } from '../../contracts/errors/gateway-error';
import { contactUpdate } from '../../contracts/forms/contact-update';
import { toGatewayError, validate } from '../../contracts/validation';
import { addDays, beijingDateOf } from '../calendar';
import type { ContactSnapshot } from './contact-sheet';

/** A ContactUpdate body once validated: normalised (e-mail domains in punycode …) and typed. */
export interface ValidContactUpdate extends ContactSnapshot {
  readonly effectiveDate: string;
  readonly reportedAt: string;
  readonly changes?: string;
}

/**
 * Checks a ContactUpdate body exactly as the form does (contracts/forms/contact-update.ts: a
 * leader with a name, phone and e-mail checks, at least one contact …) by validating it inside
 * the form's own example envelope, then the gateway's bound on future effective dates. Throws
 * the form's GatewayError (every error listed, the first one's path and article Art. 17) or
 * `contacts.effective-date-too-far`.
 */
export function validateContactUpdate(body: unknown, now: Date, maxFutureDays: number): ValidContactUpdate {
  const result = validate({ ...contactUpdate.example, body });
  const errors = result.errors.filter((e) => e.path === 'body' || e.path.startsWith('body.'));
  if (errors.length > 0) throw toGatewayError(errors);
  const value = result.value.body as unknown as ValidContactUpdate;
  const latest = addDays(beijingDateOf(now), maxFutureDays);
  if (value.effectiveDate > latest) {
    throw new GatewayError(
      'contacts.effective-date-too-far',
      `body.effectiveDate: the change takes effect on ${value.effectiveDate}, more than ${maxFutureDays} days after today (${beijingDateOf(now)}); the latest accepted is ${latest} (Art. 17)`,
      { path: 'body.effectiveDate', article: 'Art. 17', effectiveDate: value.effectiveDate, latest, maxFutureDays },
    );
  }
  return value;
}
