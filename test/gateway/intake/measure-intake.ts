/**
 * Measures intake throughput (not a test): `npx tsc` it with the bench:signing flags plus --resolveJsonModule, then
 * `node …/measure-intake.js [sqlite|mysql://user@host:port] [count] [concurrency] [xml|json] [maxParallel]`
 * (a server URL: a fresh database is created and dropped).
 * Builds `count` signed IncidentReports (three recipients) first, then submits them through
 * one Intake with `concurrency` in flight and prints accepted messages per second.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encode } from '../../../contracts/codec';
import { systemClock } from '../../../gateway/clock';
import { issueGatewayIdentity } from '../../../gateway/identity';
import { Intake } from '../../../gateway/intake';
import { obligationHooks } from '../../../gateway/obligations';
import { seedRegistry } from '../../../gateway/registry';
import { createDevCa, issueInstitutionCredential } from '../../../gateway/signing/dev-pki';
import { signDocument } from '../../../gateway/signing/documents';
import { TrustStore } from '../../../gateway/signing/trust-store';
import { migrate, openStore } from '../../../gateway/store';
import { createConnection } from 'mysql2/promise';
import { migrations } from '../../../migrations';
import { countStatements } from '../../../bench/e2e/sql-count';

async function main(): Promise<void> {
  const [target = 'sqlite', countText = '2000', concText = '16', format = 'json', parallelText] = process.argv.slice(2);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-measure-'));
  // A MySQL/MariaDB server URL gets a fresh database of its own, dropped at the end.
  const database = `mmgw_measure_${randomBytes(4).toString('hex')}`;
  const server = target === 'sqlite' ? undefined : new URL(target);
  const admin = () => createConnection({ host: server!.hostname, port: Number(server!.port || 3306), user: decodeURIComponent(server!.username), password: decodeURIComponent(server!.password) });
  if (server !== undefined) {
    const c = await admin();
    await c.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    await c.end();
    server.pathname = `/${database}`;
  }
  const url = server === undefined ? `sqlite:${path.join(dir, 'm.sqlite')}` : server.toString();
  const ds = await openStore(url, { migrations });
  await migrate(ds);
  const issued = new Date('2026-11-20T00:00:00Z');
  await seedRegistry(ds, issued);
  const ca = createDevCa({ now: issued, keyType: 'ec' });
  const cred = issueInstitutionCredential(ca, 'op-cmcc', { now: issued, keyType: 'ec' });
  const intake = new Intake(ds, { trust: new TrustStore([ca.certificate]), identity: issueGatewayIdentity(ca, { now: issued }), clock: systemClock, hooks: obligationHooks(), ...(parallelText ? { maxParallel: Number(parallelText) } : {}) });
  const example = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'contracts/examples/incident-report.json'), 'utf8')) as Record<string, unknown>;
  example.cc = ['ca-11', 'cncert'];
  (example.body as Record<string, unknown>).provinces = ['11'];
  const count = Number(countText);
  const run = randomBytes(3).toString('hex');
  const docs: Buffer[] = [];
  for (let i = 0; i < count; i++) docs.push(Buffer.from(await signDocument(encode({ ...example, id: `op-cmcc-${run}-${String(i).padStart(7, '0')}` }, format as 'xml' | 'json'), cred)));
  const sql = countStatements(ds);
  let next = 0;
  let accepted = 0;
  let refused = '';
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: Number(concText) }, async () => {
    while (next < docs.length) {
      const out = await intake.submit({ bytes: docs[next++]!, caller: 'op-cmcc' });
      if (out.accepted) accepted += 1;
      else refused ||= JSON.stringify(out.errors);
    }
  }));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(JSON.stringify({ target: target.replace(/\/\/[^@]*@/, '//'), format, count, concurrency: Number(concText), maxParallel: parallelText ?? 'default', accepted, seconds: Number(seconds.toFixed(2)), accepts_per_s: Math.round(accepted / seconds), statements_per_message: Number((sql.total() / count).toFixed(2)), statements: Object.fromEntries(sql.counts().map(([k, n]) => [k, Number((n / count).toFixed(3))])), refused: refused || undefined }));
  await ds.destroy();
  if (server !== undefined) {
    const c = await admin();
    await c.query(`DROP DATABASE \`${database}\``);
    await c.end();
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

void main();
