import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { clientIdentity } from '../../adapters/cli/client';
import { signDocument } from '../../gateway/signing/documents';
import { runCli } from '../support/capture-io';
import { REPO } from './gateway-process';

/** The CLI pointed at one gateway and data directory, run in-process. */
export function cliFor(gateway: string, dataDir: string) {
  const run = (...args: string[]) => runCli(...args, '--gateway', gateway, '--data-dir', dataDir);
  return {
    run,
    /** `mmgw send FILE --as CODE …`; the accepted message id (or undefined) and the outcome. */
    async send(file: string, as: string, ...more: string[]) {
      const r = await run('send', file, '--as', as, ...more);
      const id = /^accepted (\S+)/m.exec(r.stdout)?.[1];
      return { ...r, id };
    },
    /** The deliveries of `as` carrying `messageId`, waiting up to `waitSeconds` for the first. */
    async deliveriesOf(as: string, messageId: string, waitSeconds = 15): Promise<{ deliveryId: string; type: string; from: string }[]> {
      const deadline = Date.now() + waitSeconds * 1000;
      for (;;) {
        const r = await run('inbox', '--as', as, '--json', '--limit', '100');
        if (r.code !== 0) throw new Error(`inbox --as ${as} exited ${r.code}: ${r.stderr}`);
        const page = JSON.parse(r.stdout) as { items: { deliveryId: string; messageId: string; type: string; from: string }[] };
        const hits = page.items.filter((i) => i.messageId === messageId);
        if (hits.length > 0 || Date.now() > deadline) return hits;
        await new Promise((res) => setTimeout(res, 200));
      }
    },
  };
}

/** A copy of a published example in `dir`, with `edit` applied to its JSON. */
export function editedExample(dir: string, name: string, edit: (doc: Record<string, unknown> & { body: Record<string, unknown> }) => void): string {
  const doc = JSON.parse(fs.readFileSync(path.join(REPO, 'contracts', 'examples', `${name}.json`), 'utf8')) as Record<string, unknown> & { body: Record<string, unknown> };
  edit(doc);
  const file = path.join(dir, `${name}-${randomBytes(3).toString('hex')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
  return file;
}

/** A sample file and its MD5 (what a SampleReport declares). */
export function sampleFile(dir: string): { file: string; md5: string; sha256: string } {
  const bytes = randomBytes(4096);
  const file = path.join(dir, 'update.apk');
  fs.writeFileSync(file, bytes);
  return { file, md5: createHash('md5').update(bytes).digest('hex'), sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Signs `file` with the dev credential of `signer` from `dataDir` into a new file. */
export async function signedBy(dataDir: string, signer: string, file: string): Promise<string> {
  const id = clientIdentity({ as: signer, dataDir });
  const out = `${file}.signed-by-${signer}.json`;
  fs.writeFileSync(out, await signDocument(fs.readFileSync(file), id.credential));
  return out;
}
