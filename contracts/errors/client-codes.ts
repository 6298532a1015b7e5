import { defineCodes } from './code-info';

/** Codes of the CLI acting as a client of a gateway (mmgw send, inbox, ack, status). */
export const clientCodes = defineCodes('client', {
  'client.unreachable': { description: 'The gateway could not be reached over HTTPS (not running, wrong --gateway, TLS refused).', http: 502, exit: 3 },
  'client.bad-response': { description: 'The gateway answered with something the client cannot read.', http: 502, exit: 3 },
  'client.no-credential': { description: 'No client credential: give --as CODE (a dev credential of the data directory) or --key and --cert.', http: 400, exit: 2 },
});
