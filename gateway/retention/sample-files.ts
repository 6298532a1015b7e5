import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { decode } from '../../contracts/codec';

/** A stored sample file (`<dir>/<sha256>`) with the facts kept beside it (`<sha256>.json`). */
export interface SampleFile {
  readonly sha256: string;
  readonly md5: string;
  readonly size: number;
  readonly file: string;
}

/** The MD5s a SampleReport's bytes declare (body.samples[].md5), lower case; none when unreadable or purged. */
export function declaredMd5s(bytes: Buffer): string[] {
  if (bytes.length === 0) return [];
  const body = decode(bytes).document?.body as { samples?: Array<{ md5?: unknown }> } | undefined;
  return (body?.samples ?? []).map((s) => String(s.md5 ?? '').toLowerCase()).filter((m) => m !== '');
}

/** The sample files still present in `dir` (those whose facts file remains but the file is gone are skipped). */
export async function listSampleFiles(dir: string): Promise<SampleFile[]> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const out: SampleFile[] = [];
  for (const name of names) {
    if (!/^[0-9a-f]{64}$/.test(name)) continue;
    const file = path.join(dir, name);
    const facts = await fs.readFile(`${file}.json`, 'utf8').then((t) => JSON.parse(t) as { md5?: unknown; size?: unknown }, () => undefined);
    if (facts === undefined || typeof facts.md5 !== 'string') continue;
    out.push({ sha256: name, md5: facts.md5.toLowerCase(), size: Number(facts.size ?? 0), file });
  }
  return out;
}
