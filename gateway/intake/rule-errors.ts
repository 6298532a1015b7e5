import type { ContractError } from '../../contracts/validation/contract-error';
import { GatewayError } from '../../contracts/errors/gateway-error';
import type { VerificationFailure } from '../signing/verification';
import type { RuleError } from './options';

/** A contract error as a Rejection lists it. */
export const fromContract = (e: ContractError): RuleError => ({ code: e.code, path: e.path === '' ? undefined : e.path, message: e.message, source: e.source });

/** A refused signature as a Rejection lists it. */
export const fromSignature = (v: VerificationFailure): RuleError => ({ code: v.code, path: 'signature', message: v.message, source: 'Art. 10, the agreed electronic interface: signed by the sender' });

/** A GatewayError (routing, intake) as a Rejection lists it: path and article from its facts. */
export function fromGatewayError(e: GatewayError): RuleError {
  const path = typeof e.facts.path === 'string' ? e.facts.path : undefined;
  const source = typeof e.facts.article === 'string' ? e.facts.article : undefined;
  return { code: e.code, path, message: e.message, source };
}

/** An intake refusal with its code, path and message. */
export const intakeError = (code: ConstructorParameters<typeof GatewayError>[0], message: string, path?: string): RuleError => fromGatewayError(new GatewayError(code, message, path === undefined ? {} : { path }));
