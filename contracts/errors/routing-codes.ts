import { defineCodes } from './code-info';

/**
 * Why a message cannot be routed (issue 2, item 2): its sender may not send its form, the
 * recipients the mechanism requires are missing or unknown, or it names recipients the rules do
 * not allow; and problems of the routing table itself, found when it is loaded.
 */
export const routingCodes = defineCodes('routing', {
  'routing.unknown-form': { description: 'The routing table has no routes for the message type.', http: 422, exit: 1 },
  'routing.sender-not-allowed': { description: 'The sender may not send this form (or not at this event level): the mechanism gives the form to other parties.', http: 403, exit: 1 },
  'routing.unresolved': { description: 'A fact the routing needs is not known: e.g. no registry or registrar on record for a domain, no reporting unit for a sample, or a body field it reads is missing.', http: 422, exit: 1 },
  'routing.no-recipient': { description: 'The rules of the form yield no recipient, or fewer than the form requires the sender to name.', http: 422, exit: 1 },
  'routing.missing-recipient': { description: 'The envelope does not address a recipient the mechanism requires, in to (报) or cc (抄报) as the rules say.', http: 422, exit: 1 },
  'routing.recipient-not-allowed': { description: 'The envelope addresses a party the routing rules of the form do not allow (or the sender itself).', http: 422, exit: 1 },
  'routing.bad-table': { description: 'The routing table is inconsistent: unknown keys, undeclared forms or fields, invalid institution patterns.', http: 500, exit: 2 },
});
