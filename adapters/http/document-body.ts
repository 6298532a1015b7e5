import express, { type NextFunction, type Request, type Response } from 'express';
import { DOCUMENT_MEDIA_TYPES, type DocumentMediaType } from './ports';
import { problemFor, sendProblem } from './problem';

/** The media type and raw bytes of a signed document posted in the body. */
export interface DocumentLocals {
  document: { bytes: Buffer; mediaType: DocumentMediaType };
}

/**
 * Middleware reading a signed document body: `application/xml` or `application/jose+json`
 * (415 otherwise), at most `limit` bytes (413, from the error handler), kept as raw bytes
 * because the signature covers them exactly.
 */
export function documentBody(limit: number) {
  const raw = express.raw({ type: () => true, limit });
  return [
    (req: Request, res: Response, next: NextFunction): void => {
      const mediaType = DOCUMENT_MEDIA_TYPES.find((t) => req.is(t));
      if (mediaType === undefined) {
        sendProblem(res, problemFor('http.unsupported-media-type', `send the signed document as ${DOCUMENT_MEDIA_TYPES.join(' or ')}, not ${req.get('content-type') ?? 'no Content-Type'}`));
        return;
      }
      (res.locals as Partial<DocumentLocals>).document = { bytes: Buffer.alloc(0), mediaType };
      next();
    },
    raw,
    (req: Request, res: Response, next: NextFunction): void => {
      const locals = res.locals as DocumentLocals;
      locals.document.bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (locals.document.bytes.length === 0) {
        sendProblem(res, problemFor('http.bad-request', 'the request body is empty; send the signed document'));
        return;
      }
      next();
    },
  ];
}
