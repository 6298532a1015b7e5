/** The CLI as a client of a running gateway: mutual TLS with a dev or given credential. */
export { GatewayClient, RefusedError, defaultGatewayUrl, parseJson, type ClientResponse } from './gateway-client';
export { clientIdentity, clientDataDir, type ClientIdentity, type ClientOptions } from './identity';
export { problemLines } from './problem-lines';
export { withClientOptions, clientOf } from './options';
export { runClient, EXIT_REFUSED } from './run';
export { fetchCase, fetchObligations, fetchAllObligations, obligationsPath, type ObligationFilters, type CaseJson, type ObligationJson, type ObligationsPage } from './obligations';
export { tableLines } from './table';
