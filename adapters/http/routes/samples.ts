import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { callerOf } from '../caller';
import type { SamplesPort } from '../ports';
import { problemFor, problemForErrors, sendProblem } from '../problem';

/** Where and how large sample files may be. */
export interface SampleStorage {
  /** The directory sample files are stored in: `<sha256>` and its facts `<sha256>.json`. */
  readonly dir: string;
  readonly maxBytes: number;
}

/** What is kept beside a stored sample file. */
interface SampleFacts {
  readonly sha256: string;
  readonly md5: string;
  readonly size: number;
}

type Streamed = { readonly ok: true; readonly size: number; readonly sha256: string; readonly md5: string } | { readonly ok: false; readonly size: number };

/**
 * Streams the request body into `file`, hashing it on the way; stops writing once past `maxBytes`
 * but reads the rest (discarding it) so the client gets the 413 rather than a reset.
 */
function streamTo(req: Request, file: string, maxBytes: number): Promise<Streamed> {
  return new Promise((resolve, reject) => {
    const sha256 = createHash('sha256');
    const md5 = createHash('md5');
    const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
    let size = 0;
    let over = false;
    out.on('error', reject);
    req.on('error', reject);
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (over) return;
      if (size > maxBytes) {
        over = true;
        out.destroy();
        return;
      }
      sha256.update(chunk);
      md5.update(chunk);
      if (!out.write(chunk)) {
        req.pause();
        out.once('drain', () => req.resume());
      }
    });
    req.on('end', () => {
      if (over) {
        resolve({ ok: false, size });
        return;
      }
      out.end(() => resolve({ ok: true, size, sha256: sha256.digest('hex'), md5: md5.digest('hex') }));
    });
  });
}

function checkHash(sha256: string, res: Response): boolean {
  if (/^[0-9a-f]{64}$/.test(sha256)) return true;
  sendProblem(res, problemFor('http.bad-request', `the path must end in the sample's SHA-256 as 64 lower-case hexadecimal digits, got ${JSON.stringify(sha256.slice(0, 80))}`, { path: 'path.sha256' }));
  return false;
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(() => true, () => false);
}

/**
 * `PUT /v1/samples/{sha256}`: the sample file of a SampleReport (Art. 9(1)), streamed to storage,
 * refused past the size limit (413) or when its SHA-256 is not the one in the URL (422); the
 * samples port then checks it against the forms (the MD5 declared) and may refuse it. 201 when
 * stored, 200 when it was already there. `GET /v1/samples/{sha256}`: the file, to those the port
 * lets read it (404 to anyone else).
 */
export function samplesRouter(samples: SamplesPort, storage: SampleStorage): Router {
  const router = Router();
  router.put('/v1/samples/:sha256', async (req, res) => {
    const sha256 = String(req.params.sha256);
    if (!checkHash(sha256, res)) return;
    const declared = Number(req.get('content-length') ?? NaN);
    if (declared > storage.maxBytes) {
      res.setHeader('Connection', 'close');
      sendProblem(res, problemFor('http.payload-too-large', `the sample is ${declared} bytes; the limit is ${storage.maxBytes}`, { limit: storage.maxBytes }));
      return;
    }
    await fs.mkdir(storage.dir, { recursive: true });
    const temp = path.join(storage.dir, `.upload-${randomBytes(8).toString('hex')}`);
    try {
      const streamed = await streamTo(req, temp, storage.maxBytes);
      if (!streamed.ok || streamed.sha256 !== sha256) await fs.rm(temp, { force: true }); // gone before the answer
      if (!streamed.ok) {
        sendProblem(res, problemFor('http.payload-too-large', `the sample is more than ${storage.maxBytes} bytes, the limit`, { limit: storage.maxBytes }));
        return;
      }
      if (streamed.sha256 !== sha256) {
        sendProblem(res, problemFor('http.sample-hash-mismatch', `the file received has the SHA-256 ${streamed.sha256}, not ${sha256} as named in the URL`, { path: 'path.sha256', received: streamed.sha256 }));
        return;
      }
      const file = path.join(storage.dir, sha256);
      const alreadyStored = await exists(file);
      await fs.rename(temp, file);
      const result = await samples.stored({ sha256, md5: streamed.md5, size: streamed.size, file, caller: callerOf(res), alreadyStored });
      if (result.errors && result.errors.length > 0) {
        if (!alreadyStored) await fs.rm(file, { force: true });
        sendProblem(res, problemForErrors(result.errors));
        return;
      }
      const facts: SampleFacts = { sha256, md5: streamed.md5, size: streamed.size };
      await fs.writeFile(`${file}.json`, JSON.stringify(facts), { mode: 0o600 });
      res.status(alreadyStored ? 200 : 201).setHeader('Location', `/v1/samples/${sha256}`).json(facts);
    } finally {
      await fs.rm(temp, { force: true });
    }
  });
  router.get('/v1/samples/:sha256', async (req, res) => {
    const sha256 = String(req.params.sha256);
    if (!checkHash(sha256, res)) return;
    const file = path.join(storage.dir, sha256);
    const facts = await fs.readFile(`${file}.json`, 'utf8').then((t) => JSON.parse(t) as SampleFacts, () => undefined);
    if (facts === undefined || !(await samples.mayRead({ sha256, md5: facts.md5, caller: callerOf(res) }))) {
      sendProblem(res, problemFor('http.not-found', `no sample ${sha256} that ${callerOf(res)} may read`));
      return;
    }
    res.status(200)
      .type('application/octet-stream')
      .setHeader('Content-Length', String(facts.size))
      .setHeader('Repr-Digest', `sha-256=:${Buffer.from(sha256, 'hex').toString('base64')}:`)
      .setHeader('Mmgw-Md5', facts.md5);
    await pipeline(createReadStream(file), res);
  });
  return router;
}
