import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { contactUpdate } from '../../../contracts/forms/contact-update';
import { InstitutionEntity, migrate, openStore, type InstitutionKind } from '../../../gateway/store';
import { migrations } from '../../../migrations';

/** A fresh migrated SQLite store in a temporary folder, or the database at `url`; `close` removes it. */
export async function contactStore(url?: string): Promise<{ ds: DataSource; close: () => Promise<void> }> {
  const dir = url === undefined ? fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-contacts-')) : undefined;
  const ds = await openStore(url ?? `sqlite:${path.join(dir as string, 'mmgw.sqlite')}`, { migrations });
  await migrate(ds);
  return {
    ds,
    close: async () => {
      await ds.destroy();
      if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Inserts registry rows directly (the demo registry seeding is intake's). */
export async function addInstitutions(ds: DataSource, rows: readonly { code: string; kind: InstitutionKind; name: string }[]): Promise<void> {
  const at = new Date('2026-01-01T00:00:00Z');
  await ds.getRepository(InstitutionEntity).insert(rows.map((r) => ({ ...r, province: null, channels: [{ kind: 'mailbox' as const }], createdAt: at, updatedAt: at })));
}

/** The published ContactUpdate example body with `patch` applied (a deep copy). */
export function updateBody(patch: Record<string, unknown> = {}): Record<string, unknown> {
  const body = structuredClone(contactUpdate.example.body) as Record<string, unknown>;
  return { ...body, ...patch };
}
