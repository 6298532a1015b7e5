import { defineCodes } from './code-info';

/** Refusals of the HTTPS interface itself, before or beside the business rules (issue 5, item 1). */
export const httpCodes = defineCodes('http', {
  'http.client-certificate-required': { description: 'The request carries no client certificate, or one this gateway does not trust; the interface is mutual TLS only.', http: 401, exit: 1 },
  'http.not-an-institution': { description: 'The client certificate does not bind an institution code in its subject CN.', http: 403, exit: 1 },
  'http.not-found': { description: 'No such resource, or none the calling institution may see.', http: 404, exit: 1 },
  'http.bad-request': { description: 'A parameter of the request is missing or has a value the interface cannot use.', http: 400, exit: 2 },
  'http.unsupported-media-type': { description: 'The request body has a media type this route does not accept.', http: 415, exit: 2 },
  'http.signer-not-caller': { description: 'The document is sent (and so must be signed) by another institution than the one whose client certificate makes the request.', http: 403, exit: 1 },
  'http.payload-too-large': { description: 'The request body is larger than the configured limit.', http: 413, exit: 1 },
  'http.sample-hash-mismatch': { description: 'The SHA-256 of the uploaded sample file is not the one named in its URL.', http: 422, exit: 1 },
  'http.sample-undeclared': { description: 'No SampleReport accepted from the uploading institution declares a sample with this file\'s MD5 (Art. 9(1)); send the SampleReport first.', http: 422, exit: 1 },
  'http.rate-limited': { description: 'The calling institution sent more requests than its rate limit allows; retry after the time given in Retry-After.', http: 429, exit: 3 },
  'http.timeout': { description: 'The request took longer than the configured request time-out.', http: 503, exit: 3 },
  'http.shutting-down': { description: 'The gateway is shutting down and takes no new requests; retry on another instance or later.', http: 503, exit: 3 },
  'http.not-ready': { description: 'A service the gateway needs (database or message bus) is not reachable.', http: 503, exit: 3 },
  'http.internal': { description: 'The gateway failed in a way it did not expect; the error is logged with its id.', http: 500, exit: 3 },
});
