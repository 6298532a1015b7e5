// `npm run bench -- --email` (issue 7, Done when): mails ingested per second from IMAP through the
// real intake (ImapIntake → Intake with the obligations hooks on a SQLite file, durable cursor,
// each mail moved to Processed), beside the raw imapflow fetch rate of the same mails in the same
// run (one streaming FETCH of every source). Needs Dovecot and Postfix (`.ci/setup-email.sh`) and
// root: it starts its own private servers on loopback like the tests (test/support/mail-servers.ts).
// A measurement: exits 0 whatever the figures.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { ImapFlow } from 'imapflow';
import MailComposer from 'nodemailer/lib/mail-composer';
import { contactDirectoryFor, ImapIntake, intakePortFor, storeCursor, unsignedMailPortFor } from '../adapters/email';
import { encode } from '../contracts/codec';
import { GatewayError } from '../contracts/errors/gateway-error';
import { systemClock } from '../gateway/clock';
import { issueGatewayIdentity } from '../gateway/identity';
import { Intake } from '../gateway/intake';
import { obligationHooks } from '../gateway/obligations';
import { seedRegistry } from '../gateway/registry';
import { createDevCa, issueInstitutionCredential } from '../gateway/signing/dev-pki';
import { signDocument } from '../gateway/signing/documents';
import { TrustStore } from '../gateway/signing/trust-store';
import { migrate, openStore } from '../gateway/store';
import { migrations } from '../migrations';
import { parseBenchArgs } from './e2e/args';
import { round } from './e2e/report';

/** What the e-mail bench measured. */
export interface EmailBenchReport {
  readonly mails: number;
  readonly mean_mail_bytes: number;
  readonly baseline_imap_fetch_mails_per_s: number;
  readonly intake_mails_per_s: number;
  readonly ratio_intake_to_fetch: number;
  /** CPU time of this process (the whole gateway side: IMAP client, parsing, intake, SQLite) per mail ingested. */
  readonly intake_cpu_ms_per_mail: number;
  readonly load_average: number[];
  readonly cpus: number;
}

const DEFAULT_MAILS = 200;

/**
 * The tests' private mail servers (test/support/mail-servers.ts), loaded from source at run time:
 * the bench's compile has no jest types, which that file's test helper needs.
 */
interface MailServers {
  mailServersInstalled(): boolean;
  startMailServers(): Promise<{ readonly host: string; readonly imapPort: number; createMailbox(prefix?: string): { address: string; user: string; password: string }; stop(): Promise<void> }>;
}

function mailServers(): MailServers {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  const extensions = (require as unknown as { extensions: Record<string, (m: { _compile(code: string, file: string): void }, file: string) => void> }).extensions;
  extensions['.ts'] ??= (m, file) => {
    const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), { fileName: file, compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
    m._compile(outputText, file);
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.resolve(process.cwd(), 'test/support/mail-servers.ts')) as MailServers;
}

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`bench --email: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function measure(count: number): Promise<EmailBenchReport> {
  const servers = await mailServers().startMailServers();
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'mmgw-bench-email-'));
  try {
    const box = servers.createMailbox('gw');
    const ds = await openStore(`sqlite:${path.join(dir, 'mmgw.sqlite')}`, { migrations });
    await migrate(ds);
    await seedRegistry(ds, systemClock.now());
    const issued = new Date('2026-11-20T00:00:00Z'); // before the example's sentAt
    const ca = createDevCa({ now: issued, keyType: 'ec' });
    const identity = issueGatewayIdentity(ca, { now: issued });
    const cmcc = issueInstitutionCredential(ca, 'op-cmcc', { now: issued, keyType: 'ec' });
    const example = JSON.parse(fs.readFileSync(path.resolve(process.cwd(), 'contracts/examples/incident-report.json'), 'utf8')) as Record<string, unknown>;

    // The mails: each a signed IncidentReport (XML-DSig) attached to a short Chinese/English mail, APPENDed over IMAP.
    const imap = { host: servers.host, port: servers.imapPort, secure: false, auth: { user: box.user, pass: box.password } };
    const loader = new ImapFlow({ ...imap, logger: false });
    await loader.connect();
    let bytes = 0;
    for (let i = 0; i < count; i++) {
      const id = `op-cmcc-20261128-b${randomBytes(4).toString('hex')}${i}`;
      const signed = await signDocument(encode({ ...example, id }, 'xml'), cmcc);
      const raw = await new MailComposer({ from: 'security@chinamobile.example.cn', to: box.address, subject: `事件报送 ${id}`, text: '事件报送表见附件。Report attached.', attachments: [{ filename: `${id}.xml`, content: signed, contentType: 'application/xml' }] }).compile().build();
      bytes += raw.length;
      await loader.append('INBOX', raw);
    }
    await loader.logout();

    // Baseline: the raw imapflow fetch of every source, one streaming FETCH on one connection.
    const raw = new ImapFlow({ ...imap, logger: false });
    await raw.connect();
    const lock = await raw.getMailboxLock('INBOX');
    let fetched = 0;
    const fetchStart = process.hrtime.bigint();
    for await (const m of raw.fetch('1:*', { uid: true, source: true })) if (m.source) fetched++;
    const fetchSeconds = Number(process.hrtime.bigint() - fetchStart) / 1e9;
    lock.release();
    await raw.logout();
    if (fetched !== count) throw new Error(`bench --email: fetched ${fetched} of ${count} mails`);

    // The intake: the same mails through ImapIntake → Intake, each moved to Processed.
    const hooks = obligationHooks();
    const intake = new Intake(ds, { trust: new TrustStore([ca.certificate]), identity, clock: systemClock, hooks });
    let handled = 0;
    let refused = 0;
    const errors: string[] = [];
    const loop = new ImapIntake({
      imap, cursor: storeCursor(ds),
      deps: { intake: intakePortFor(intake), contacts: contactDirectoryFor(ds), unsigned: unsignedMailPortFor({ dataSource: ds, identity, clock: systemClock, hooks }) },
      onHandled: async (report) => { handled++; if (report.folder !== 'processed') refused++; },
      onError: (e) => errors.push(`${e.code}: ${e.message}`),
    });
    const intakeStart = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    loop.start();
    // Moved too: the last mail counts when its MOVE is done and the cursor saved (handled counts before the move).
    await until(`${count} mails handled`, () => handled >= count || errors.length > 0, 600_000);
    await loop.stop();
    const intakeSeconds = Number(process.hrtime.bigint() - intakeStart) / 1e9;
    const cpu = process.cpuUsage(cpuStart);
    await ds.destroy();
    if (errors.length > 0) throw new Error(`bench --email: the intake failed: ${errors.join('; ')}`);
    if (refused > 0) throw new Error(`bench --email: ${refused} mails were not accepted`);

    const fetchRate = count / fetchSeconds;
    const intakeRate = count / intakeSeconds;
    return {
      mails: count,
      mean_mail_bytes: Math.round(bytes / count),
      baseline_imap_fetch_mails_per_s: round(fetchRate),
      intake_mails_per_s: round(intakeRate),
      ratio_intake_to_fetch: round(intakeRate / fetchRate, 3),
      intake_cpu_ms_per_mail: round((cpu.user + cpu.system) / 1000 / count, 2),
      load_average: loadavg().map((l) => round(l, 2)),
      cpus: cpus().length,
    };
  } finally {
    await servers.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the e-mail bench with the bench's other options (`--messages N`, default 200 mails; `--json`). */
export async function runEmailBench(argv: readonly string[]): Promise<void> {
  let count: number;
  let json: boolean;
  try {
    const args = parseBenchArgs(argv);
    count = argv.some((a) => a.startsWith('--messages')) ? args.messages : DEFAULT_MAILS;
    json = args.json;
  } catch (e) {
    console.error(e instanceof GatewayError ? `bench: ${e.code}: ${e.message}` : e);
    process.exitCode = 2;
    return;
  }
  if (!mailServers().mailServersInstalled() || process.getuid?.() !== 0) {
    console.error('bench --email needs Dovecot (dovecot-imapd, dovecot-lmtpd) and Postfix — run .ci/setup-email.sh — and root, to start its private mail servers');
    process.exitCode = 3;
    return;
  }
  const r = await measure(count);
  if (json) {
    console.log(JSON.stringify(r));
    return;
  }
  console.log([
    `e-mail intake: ${r.mails} mails of ${r.mean_mail_bytes} bytes (signed IncidentReport, XML-DSig), private Dovecot, SQLite file, ${r.cpus} CPUs, load ${r.load_average.join(' ')}`,
    `  raw imapflow fetch (baseline)   ${String(r.baseline_imap_fetch_mails_per_s).padStart(9)} mails/s`,
    `  ImapIntake → Intake → Processed ${String(r.intake_mails_per_s).padStart(9)} mails/s  (${r.ratio_intake_to_fetch} of the baseline; ${r.intake_cpu_ms_per_mail} ms CPU per mail in this process)`,
  ].join('\n'));
}
