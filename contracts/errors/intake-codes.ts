import { defineCodes } from './code-info';

/**
 * Why intake refuses a submitted document beyond the contract, signature and routing codes it
 * also lists (issue 4, item 2): too large, signed by another than the authenticated caller, sent
 * by or to a party not in the registry, or a message id already used for other bytes.
 */
export const intakeCodes = defineCodes('intake', {
  'intake.too-large': { description: 'The document is larger than the gateway accepts.', http: 413, exit: 1 },
  'intake.signer-not-caller': { description: 'The document is signed by another institution than the authenticated caller (mutual TLS).', http: 403, exit: 1 },
  'intake.certificate-withdrawn': { description: 'The signing certificate was withdrawn by the registry administrator (institution_certificates.revoked_at), whatever the CRLs say.', http: 400, exit: 1 },
  'intake.unknown-sender': { description: 'The signer of the document is not an institution of the registry.', http: 403, exit: 1 },
  'intake.unknown-recipient': { description: 'The envelope addresses an institution that is not in the registry.', http: 422, exit: 1 },
  'intake.id-conflict': { description: 'A message with this id was already accepted with other bytes: a message id is used once.', http: 409, exit: 1 },
});
