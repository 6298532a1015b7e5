import type { TLSSocket } from 'node:tls';
import type { NextFunction, Request, Response } from 'express';
import { isInstitutionCode } from '../../gateway/signing/institution';
import { problemFor, sendProblem } from './problem';

/** OpenSSL's verification codes, in words. */
const WHY: Readonly<Record<string, string>> = {
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not yet valid',
  UNABLE_TO_GET_ISSUER_CERT: 'its issuer is not in the trust store',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its issuer is not in the trust store',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its issuer is not in the trust store',
  SELF_SIGNED_CERT_IN_CHAIN: 'it chains to a CA outside the trust store',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed',
  CERT_REVOKED: 'it is revoked',
  CERT_SIGNATURE_FAILURE: 'its signature does not verify',
};

/** The authenticated caller of a request, set by `requireCaller`. */
export interface CallerLocals {
  caller: string;
}

/** The institution code of the request's caller (after `requireCaller`). */
export function callerOf(res: Response): string {
  return (res.locals as CallerLocals).caller;
}

/**
 * Authentication by mutual TLS: the client certificate must chain to the gateway's trust store
 * (the TLS layer checks it; the server asks for a certificate but lets the request through so
 * that a missing or untrusted one gets a 401 problem rather than a bare reset), and its subject
 * CN, an institution code (gateway/signing), is the caller.
 */
export function requireCaller(req: Request, res: Response, next: NextFunction): void {
  const socket = req.socket as TLSSocket;
  const cert = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
  if (!cert || Object.keys(cert).length === 0) {
    sendProblem(res, problemFor('http.client-certificate-required', 'present a client certificate issued to your institution by a CA of the gateway\'s trust store'));
    return;
  }
  if (!socket.authorized) {
    const code = socket.authorizationError instanceof Error ? socket.authorizationError.message : String(socket.authorizationError ?? 'UNKNOWN');
    const why = WHY[code] ? `${WHY[code]}: ${code}` : code;
    sendProblem(res, problemFor('http.client-certificate-required', `the client certificate is not trusted by this gateway (${why})`));
    return;
  }
  const cn = cert.subject?.CN;
  const code = Array.isArray(cn) ? undefined : cn;
  if (code === undefined || !isInstitutionCode(code)) {
    sendProblem(res, problemFor('http.not-an-institution', `the client certificate's subject CN ${JSON.stringify(cn ?? null)} is not an institution code (miit, cncert, ca-NN, op-*, dr-*, rr-*)`));
    return;
  }
  (res.locals as CallerLocals).caller = code;
  next();
}
