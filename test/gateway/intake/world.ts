import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { encode } from '../../../contracts/codec';
import { TestClock } from '../../../gateway/clock';
import { issueGatewayIdentity, type GatewayIdentity } from '../../../gateway/identity';
import { Intake, type IntakeOptions } from '../../../gateway/intake';
import type { AcceptedMessage } from '../../../gateway/obligations/hooks';
import { seedRegistry } from '../../../gateway/registry';
import type { Credential } from '../../../gateway/signing/credential';
import { createDevCa, issueInstitutionCredential, type CertificateAuthority } from '../../../gateway/signing/dev-pki';
import { signDocument } from '../../../gateway/signing/documents';
import { TrustStore } from '../../../gateway/signing/trust-store';
import { AuditEntryEntity, MessageEntity, migrate, OutboxEntity, openStore, ReceiptEntity } from '../../../gateway/store';
import { SampleReporterEntity } from '../../../gateway/registry';
import { migrations } from '../../../migrations';

/** A database URL per world; undefined when the service is missing (reported skipped by test/support/services.ts). */
export type UrlSource = () => string | undefined;

/** A fresh SQLite file per call, removed after the test file. */
export function sqliteUrls(): UrlSource {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-intake-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return () => `sqlite:${path.join(dir, `${randomBytes(4).toString('hex')}.sqlite`)}`;
}

/** The store with the demo registry, a dev PKI (EC keys, issued before every example's sentAt), the gateway's identity and intake. */
export interface World {
  readonly ds: DataSource;
  readonly clock: TestClock;
  readonly ca: CertificateAuthority;
  readonly trust: TrustStore;
  readonly identity: GatewayIdentity;
  readonly intake: Intake;
  readonly accepted: AcceptedMessage[];
  credential(code: string): Credential;
  /** Another intake on the same store and keys, with other options. */
  intakeWith(options: Partial<IntakeOptions>): Intake;
}

/** Opens a world on `url` (migrated, demo registry seeded). */
export async function openWorld(url: string): Promise<World> {
  const ds = await openStore(url, { migrations });
  await migrate(ds);
  const clock = new TestClock('2026-11-28T03:00:00Z');
  await seedRegistry(ds, clock.now());
  const issued = new Date('2026-11-20T00:00:00Z');
  const ca = createDevCa({ now: issued, keyType: 'ec' });
  const trust = new TrustStore([ca.certificate]);
  const identity = issueGatewayIdentity(ca, { now: issued });
  const accepted: AcceptedMessage[] = [];
  const credentials = new Map<string, Credential>();
  const base: IntakeOptions = { trust, identity, clock, hooks: { onMessageAccepted: async (_m, a) => { accepted.push(a); } } };
  return {
    ds, clock, ca, trust, identity, accepted,
    intake: new Intake(ds, base),
    intakeWith: (options) => new Intake(ds, { ...base, ...options }),
    credential(code) {
      let c = credentials.get(code);
      if (c === undefined) credentials.set(code, (c = issueInstitutionCredential(ca, code, { now: issued, keyType: 'ec' })));
      return c;
    },
  };
}

let counter = 0;

/** A published example of `form` (file name without extension) with a fresh id, and `changes` applied to a copy. */
export function example(form: string, changes: (doc: Record<string, unknown> & { body: Record<string, unknown> }) => void = () => undefined): Record<string, unknown> & { body: Record<string, unknown> } {
  const doc = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../contracts/examples', `${form}.json`), 'utf8')) as Record<string, unknown> & { body: Record<string, unknown> };
  counter += 1;
  doc.id = `${String(doc.from)}-20261128-t${randomBytes(3).toString('hex')}${counter}`;
  changes(doc);
  return doc;
}

/** `doc` encoded in `format` and signed by `signer` (default: its `from`). */
export async function signed(w: World, doc: Record<string, unknown>, format: 'xml' | 'json', signer = String(doc.from)): Promise<Buffer> {
  return Buffer.from(await signDocument(encode(doc, format), w.credential(signer)));
}

/** Row counts of every table intake may write. */
export async function counts(w: World): Promise<Record<string, number>> {
  const m = w.ds.manager;
  return {
    messages: await m.count(MessageEntity), receipts: await m.count(ReceiptEntity), outbox: await m.count(OutboxEntity),
    audit: await m.count(AuditEntryEntity), samples: await m.count(SampleReporterEntity),
  };
}
