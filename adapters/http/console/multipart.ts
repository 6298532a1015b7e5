import type { NextFunction, Request, Response } from 'express';

/** A file posted with a multipart form (e.g. the scan of a paper original). */
export interface UploadedFile {
  /** The file name the browser sent (not a path to trust). */
  readonly name: string;
  readonly type: string;
  readonly bytes: Buffer;
}

/** Where the multipart middleware leaves the files. */
export interface UploadLocals {
  files?: Record<string, UploadedFile>;
  uploadTooLarge?: { limit: number };
}

/**
 * Reads a `multipart/form-data` POST (a form with a file input) of at most `maxBytes`: its text
 * fields become `req.body` (so the CSRF check reads `_csrf` as for any form) and its files
 * `res.locals.files`. Parsed with the platform's own WHATWG `Request.formData()` (Node's
 * undici), so no upload library is needed; the body is held in memory, hence the limit. A
 * larger body is drained and marked (`uploadTooLarge`) for the console to answer 413.
 */
export function multipartForms(maxBytes: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const type = req.headers['content-type'] ?? '';
    if (req.method !== 'POST' || !/^multipart\/form-data;/i.test(type)) {
      next();
      return;
    }
    const locals = res.locals as UploadLocals;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    req.on('error', next);
    req.on('end', () => {
      if (size > maxBytes) {
        locals.uploadTooLarge = { limit: maxBytes };
        req.body = {};
        next();
        return;
      }
      new globalThis.Request('http://console.invalid/', { method: 'POST', headers: { 'content-type': type }, body: Buffer.concat(chunks) })
        .formData()
        .then(async (data) => {
          const fields: Record<string, string> = {};
          const files: Record<string, UploadedFile> = {};
          for (const [key, value] of data.entries()) {
            if (typeof value === 'string') fields[key] = value;
            else if (value.size > 0 || value.name !== '') files[key] = { name: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) };
          }
          req.body = fields;
          locals.files = files;
          next();
        }, () => {
          req.body = {};
          next();
        });
    });
  };
}
