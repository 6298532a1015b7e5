import express, { type NextFunction, type Request, type Response } from 'express';
import { formatOf } from '../../gateway/signing/documents';
import { DOCUMENT_MEDIA_TYPES, type DocumentMediaType } from './ports';
import { problemFor, sendProblem } from './problem';

/** The media type and raw bytes of a signed document posted in the body. */
export interface DocumentLocals {
  document: { bytes: Buffer; mediaType: DocumentMediaType };
}

/**
 * Middleware reading a signed document body: `application/xml` or `application/jose+json`
 * (415 otherwise, or when the content is the other format), at most `limit` bytes (413, from
 * the error handler), kept as raw bytes because the signature covers them exactly.
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
      // The signature covers the bytes, so the content decides the format; a label that says
      // otherwise is refused rather than guessed (an unrecognisable body is intake's to refuse).
      const format = formatOf(locals.document.bytes.toString('utf8', 0, Math.min(locals.document.bytes.length, 1024)));
      const expected = format === 'xml' ? 'application/xml' : format === 'json' ? 'application/jose+json' : undefined;
      if (expected !== undefined && expected !== locals.document.mediaType) {
        sendProblem(res, problemFor('http.unsupported-media-type', `the body is ${format === 'xml' ? 'an XML document' : 'a JSON (JWS) document'}, so its Content-Type is ${expected}, not ${locals.document.mediaType}`));
        return;
      }
      next();
    },
  ];
}
