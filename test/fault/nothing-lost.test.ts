import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { DataSource } from 'typeorm';
import { encode } from '../../contracts/codec';
import type { MessageDocument } from '../../contracts/codec/message-document';
import { verifyAuditChain } from '../../gateway/audit';
import { TestClock } from '../../gateway/clock';
import { deliveryContext, listMailbox, MailboxNotifier } from '../../gateway/deliveries';
import { issueGatewayIdentity } from '../../gateway/identity';
import { seedRegistry } from '../../gateway/registry';
import type { Credential } from '../../gateway/signing/credential';
import { createDevCa, issueInstitutionCredential } from '../../gateway/signing/dev-pki';
import { signDocument } from '../../gateway/signing/documents';
import { migrate, openStore } from '../../gateway/store';
import { migrations } from '../../migrations';
import { privateServicesOrSkip, startPrivateMariaDb, startPrivateRabbitMq, type PrivateMariaDb, type PrivateRabbitMq } from '../support/private-services';

// Issue 4, item 7: nothing accepted is lost and nothing is done twice while, mid-run, RabbitMQ is
// stopped and restarted, a gateway process is SIGKILLed with submissions in flight (and another
// started), RabbitMQ is SIGKILLed and restarted, and MariaDB is SIGKILLed and restarted.
// Private RabbitMQ and MariaDB (test/support/private-services.ts). Two gateway processes
// (test/fault/gateway-entry.ts, compiled here: intake, outbox relay, routing worker,
// acknowledgements, over plain HTTP) share the work; the clients retry any submission or
// acknowledgement whose answer never came with the same bytes, on whichever gateway is up.
// MMGW_FAULT_MESSAGES sets the number of messages (10,000 with CI set, 1,000 otherwise).

const ROOT = path.join(__dirname, '../..');
const N = Number(process.env.MMGW_FAULT_MESSAGES ?? (process.env.CI ? 10_000 : 1_000));
const RECIPIENTS = ['ca-11', 'ca-44', 'cncert', 'miit'];
const DELIVERIES = Array.from({ length: N }, (_, i) => (i % 4 === 0 ? RECIPIENTS.length : 1)).reduce((a, b) => a + b, 0);
const ROUTING_BATCH = 64; // gateway-entry.ts: the most messages one routing commit holds

/**
 * What a run that missed its deadline left behind, for the failure message: the accepted messages
 * without any delivery (a few, each with whether routing claimed it and whether its outbox row is
 * still there) and the deliveries by status — enough to tell a message lost between accept and
 * routing from one routed but not yet acknowledged.
 */
async function leftBehind(ds: DataSource): Promise<string> {
  const ids = (await ds.query(
    `SELECT m.id, EXISTS (SELECT 1 FROM dedupe d WHERE d.consumer = 'deliveries.routing' AND d.dedupe_key = CONCAT('accepted:', m.id)) AS claimed,
            EXISTS (SELECT 1 FROM outbox o WHERE o.message_id = CONCAT('accepted:', m.id)) AS pending
       FROM messages m WHERE NOT EXISTS (SELECT 1 FROM deliveries x WHERE x.message_id = m.id) ORDER BY m.id`,
  )) as { id: string; claimed: number | string; pending: number | string }[];
  const statuses = (await ds.query('SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status ORDER BY status')) as { status: string; n: number | string }[];
  const yes = (v: number | string) => (Number(v) === 1 ? 'yes' : 'no');
  const sample = ids.slice(0, 8).map((r) => `${r.id} (routing claim: ${yes(r.claimed)}, outbox row: ${yes(r.pending)})`).join(', ');
  return `accepted messages without any delivery: ${ids.length}${sample ? ` — ${sample}` : ''}; deliveries by status: ${statuses.map((r) => `${r.status} ${Number(r.n)}`).join(', ') || 'none'}`;
}
const NOW = '2026-11-28T03:00:00Z';
/** MMGW_FAULT_TRACE=1: progress lines on stderr while the test runs. */
const trace = (line: string) => { if (process.env.MMGW_FAULT_TRACE) process.stderr.write(`[fault ${new Date().toISOString().slice(11, 19)}] ${line}\n`); };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
type Doc = Record<string, unknown> & { body: Record<string, unknown> };

function compileGateway(outDir: string): Promise<void> {
  const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
  const args = [tsc, '--ignoreConfig', '--outDir', outDir, '--rootDir', ROOT, '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022',
    '--strict', '--esModuleInterop', '--skipLibCheck', '--resolveJsonModule', '--types', 'node', path.join(ROOT, 'test/fault/gateway-entry.ts')];
  return new Promise((resolve, reject) => execFile(process.execPath, args, { cwd: ROOT, timeout: 180_000 }, (e, out, err) => (e ? reject(new Error(`tsc: ${out}${err}`, { cause: e })) : resolve())));
}

/** Waits for `condition` (polled every 20 ms) until `ms` passed; throws naming `what`. */
async function until(condition: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await sleep(20);
  }
}

/** A gateway child process and what the test saw of it. */
interface Gateway {
  readonly name: string;
  readonly child: ChildProcess;
  port: number;
  /** Set before the test SIGKILLs it; any other exit fails the test. */
  killed: boolean;
  stderr: string;
  /** Delivery row ids it reported created (after its routing commits). */
  readonly created: number[];
  /** Requests sent to it and not answered yet. */
  inFlight: number;
  /** First-time (not duplicate) accepts and acknowledgements it answered. */
  accepted: number;
  acknowledged: number;
}

const alive = (g: Gateway) => g.child.exitCode === null && g.child.signalCode === null;

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function startGateway(name: string, script: string, env: Record<string, string>, died: (g: Gateway) => void): Promise<Gateway> {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env, NODE_PATH: path.join(ROOT, 'node_modules') }, stdio: ['ignore', 'pipe', 'pipe'] });
  const g: Gateway = { name, child, port: 0, killed: false, stderr: '', created: [], inFlight: 0, accepted: 0, acknowledged: 0 };
  child.stderr!.on('data', (b: Buffer) => { g.stderr = (g.stderr + b.toString()).slice(-4000); });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const event = JSON.parse(line) as { ready?: number; created?: number[] };
      if (event.ready !== undefined) {
        g.port = event.ready;
        resolve(g);
      }
      if (event.created) g.created.push(...event.created);
    });
    child.once('exit', (code, signal) => {
      if (g.port === 0) reject(new Error(`gateway ${name} exited (${String(code ?? signal)}) before ready: ${g.stderr}`));
      else if (!g.killed) died(g);
    });
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One POST; rejects when no answer came (refused, reset, killed, timed out). */
function post(port: number, pathname: string, bytes: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port, path: pathname, method: 'POST', agent, timeout: 120_000,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length), ...headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
        } catch (e) {
          reject(e as Error);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 120 s')));
    req.on('error', reject);
    req.end(bytes);
  });
}

describe('nothing lost: RabbitMQ stopped and SIGKILLed, a gateway process SIGKILLed mid-batch, MariaDB SIGKILLed — each mid-run', () => {
  const live = privateServicesOrSkip(__filename);
  let rabbit: PrivateRabbitMq | undefined;
  let maria: PrivateMariaDb | undefined;
  let buildDir: string | undefined;
  let ds: DataSource | undefined;
  const gateways: Gateway[] = [];

  afterAll(async () => {
    for (const g of gateways) {
      g.killed = true;
      if (alive(g)) g.child.kill('SIGKILL');
      await exited(g.child);
    }
    agent.destroy();
    await ds?.destroy().catch(() => undefined);
    await rabbit?.dispose();
    await maria?.dispose();
    if (buildDir) fs.rmSync(buildDir, { recursive: true, force: true });
  }, 120_000);

  it(`${N} messages (a quarter to four recipients, the rest to one) and refusals among them: each accepted one once, with its original Receipt, delivered and acknowledged exactly once; each refusal changed nothing; the audit chain verifies; both gateways did work`, async () => {
    if (!live) return;
    const started = Date.now();
    const deadline = started + 15 * 60_000;
    buildDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-fault-build-'));
    // MariaDB's files on tmpfs when there is one: every audited commit serialises on the audit head, and
    // fsync on this disk made them the bottleneck; SIGKILL of mariadbd loses nothing the kernel holds.
    const shm = fs.existsSync('/dev/shm') ? { baseDir: '/dev/shm' } : {};
    [rabbit, maria] = await Promise.all([startPrivateRabbitMq(), startPrivateMariaDb(shm), compileGateway(buildDir)]);
    const setupMs = Date.now() - started;

    ds = await openStore(maria.url, { migrations });
    await migrate(ds);
    const clock = new TestClock(NOW);
    await seedRegistry(ds, clock.now());
    const issued = new Date('2026-11-20T00:00:00Z');
    const ca = createDevCa({ now: issued, keyType: 'ec' });
    const identity = issueGatewayIdentity(ca, { now: issued });
    // The gateways' PKI files (generated here, in the temporary build directory).
    const pkiDir = path.join(buildDir, 'pki');
    fs.mkdirSync(pkiDir, { mode: 0o700 });
    fs.writeFileSync(path.join(pkiDir, 'ca.pem'), ca.certificate.toString());
    fs.writeFileSync(path.join(pkiDir, 'mmgw.key.pem'), identity.credential.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    fs.writeFileSync(path.join(pkiDir, 'mmgw.cert.pem'), identity.credential.certificate.toString());
    const credentials = new Map<string, Credential>();
    const credential = (code: string) => {
      let c = credentials.get(code);
      if (c === undefined) credentials.set(code, (c = issueInstitutionCredential(ca, code, { now: issued, keyType: 'ec' })));
      return c;
    };
    const ctx = deliveryContext({ clock, notifier: new MailboxNotifier() });

    // The submissions, signed beforehand: N to be accepted (every 5th in XML; every 4th an IncidentReport to miit,
    // cc ca-11, ca-44, cncert, the others SampleReports to cncert), and every 200 messages one refusal of each kind.
    const example = (form: string) => JSON.parse(fs.readFileSync(path.join(ROOT, `contracts/examples/${form}.json`), 'utf8')) as Doc;
    const templates = { incident: example('incident-report'), sample: example('sample-report'), verification: example('verification-result') };
    const recipientsOf = (i: number) => (i % 4 === 0 ? RECIPIENTS : ['cncert']);
    const idOf = (i: number) => `op-cmcc-20261128-f${String(i).padStart(5, '0')}`;
    const report = (i: number): Doc => ({ ...structuredClone(i % 4 === 0 ? templates.incident : templates.sample), id: idOf(i) });
    const sign = async (d: Doc, format: 'xml' | 'json', signer: string) => Buffer.from(await signDocument(encode(d as unknown as MessageDocument, format), credential(signer)));
    type Submission = {
      readonly id: string; readonly bytes: Buffer; readonly expect: 'accept' | string; /* or the refusal's first code */
      /** A replay waits until the original was answered (else the replay would be the one accepted). */
      readonly after?: number;
      /** What is left of a refusal: the audit subject (its id, or sha256: of the bytes). */
      readonly subject?: string;
    };
    const submissions: Submission[] = [];
    const indexOf = new Map<string, number>();
    for (let i = 0; i < N; i += 1) {
      indexOf.set(idOf(i), submissions.length);
      submissions.push({ id: idOf(i), bytes: await sign(report(i), i % 5 === 0 ? 'xml' : 'json', 'op-cmcc'), expect: 'accept' });
      if (i % 200 === 100) {
        const unsigned = report(N + i);
        submissions.push({ id: String(unsigned.id), bytes: Buffer.from(encode(unsigned as unknown as MessageDocument, 'json')), expect: 'signature.missing', subject: String(unsigned.id) });
        const otherSigner = report(2 * N + i);
        submissions.push({ id: String(otherSigner.id), bytes: await sign(otherSigner, 'json', 'op-cucc'), expect: 'signature.sender-mismatch', subject: String(otherSigner.id) });
        const sampleNo = (j: number) => `op-cmcc-20261128-s${String(j).padStart(5, '0')}`;
        const invalid = { ...structuredClone(templates.sample), id: sampleNo(2 * i), body: { ...templates.sample.body, samples: [{ ...(templates.sample.body.samples as Record<string, unknown>[])[0], md5: 'not-an-md5' }] } };
        submissions.push({ id: String(invalid.id), bytes: await sign(invalid, 'json', 'op-cmcc'), expect: 'contract.md5', subject: String(invalid.id) });
        const tamperedDoc = { ...structuredClone(templates.sample), id: sampleNo(2 * i + 1) };
        const tampered = Buffer.from((await sign(tamperedDoc, 'xml', 'op-cmcc')).toString('utf8').replace('张伟', '李雷'));
        submissions.push({ id: String(tamperedDoc.id), bytes: tampered, expect: 'signature.tampered', subject: String(tamperedDoc.id) });
        const unauthorised = { ...structuredClone(templates.verification), id: `op-cmcc-20261128-u${String(i).padStart(5, '0')}`, from: 'op-cmcc', to: ['miit', 'ca-11', 'ca-44'] };
        submissions.push({ id: unauthorised.id, bytes: await sign(unauthorised, 'json', 'op-cmcc'), expect: 'routing.sender-not-allowed', subject: unauthorised.id });
        const malformed = Buffer.from(`<message xmlns="urn:mmgw:message:1"><id>op-cmcc-m${i}</id`);
        submissions.push({ id: `malformed ${i}`, bytes: malformed, expect: 'contract.malformed-xml', subject: `sha256:${sha256(malformed)}` });
        // A replay: the id of a message accepted earlier, other bytes.
        const original = i - 100;
        const replay = { ...report(original), body: { ...report(original).body, summary: 'changed after acceptance' } };
        submissions.push({ id: idOf(original), bytes: await sign(replay, 'json', 'op-cmcc'), expect: 'intake.id-conflict', after: indexOf.get(idOf(original))! });
      }
    }
    const refusals = submissions.filter((s) => s.expect !== 'accept');
    const signMs = Date.now() - started - setupMs;

    // Two gateway processes; a third replaces the one SIGKILLed.
    const env = {
      FAULT_DATABASE_URL: maria.url, FAULT_AMQP_URL: rabbit.url, FAULT_EXCHANGE: `mmgw-fault-${randomBytes(3).toString('hex')}`, FAULT_PKI_DIR: pkiDir, FAULT_NOW: NOW,
    };
    const script = path.join(buildDir, 'test/fault/gateway-entry.js');
    const deaths: string[] = [];
    const died = (g: Gateway) => deaths.push(`${g.name} exited (${String(g.child.exitCode ?? g.child.signalCode)}) unasked: ${g.stderr}`);
    gateways.push(...await Promise.all([startGateway('g1', script, env, died), startGateway('g2', script, env, died)]));

    // The clients' side: each request goes to the next live gateway; one whose answer never came (connection
    // refused or reset, the gateway killed) or that answered 503 (a service down) is sent again, same bytes.
    const stats = { lostAnswers: 0, unavailable: 0, retriesAnsweredDuplicate: 0 };
    let turn = 0;
    const call = async (pathname: string, bytes: Buffer, headers: Record<string, string> = {}) => {
      for (let attempt = 1; ; attempt += 1) {
        if (deaths.length > 0) throw new Error(deaths.join('\n'));
        const up = gateways.filter((g) => !g.killed);
        const g = up[turn++ % up.length]!;
        g.inFlight += 1;
        try {
          const r = await post(g.port, pathname, bytes, headers);
          if (r.status !== 503) return { ...r, gateway: g, attempt };
          stats.unavailable += 1;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ECONNREFUSED') stats.lostAnswers += 1;
        } finally {
          g.inFlight -= 1;
        }
        if (Date.now() > deadline) throw new Error(`${pathname}: no answer in time`);
        await sleep(100);
      }
    };

    // Faults, each injected while submissions are still running (the submitter waits at each mark until it was),
    // each triggered and ended by progress, with deadlines.
    let submitted = 0;
    const outboxSize = async () => Number((await ds!.query('SELECT COUNT(*) AS n FROM outbox') as { n: number }[])[0]!.n);
    const pileUp = Math.min(50, Math.floor(submissions.length * 0.05));
    const brokerDown = async (down: () => Promise<void>) => {
      await down();
      const before = await outboxSize(); // what the relays had not published yet when the broker went
      await until(async () => (await outboxSize()) >= before + pileUp, 120_000, `${pileUp} accepts piling up in the outbox while RabbitMQ is down`);
      await rabbit!.start();
    };
    // Each fault starts at its mark, on its own (they may overlap, except the two of RabbitMQ: `after`), and the
    // submitters wait at each mark until that fault has started.
    const at = (share: number) => Math.floor(submissions.length * share);
    const faults: { at: number; after?: number; run: () => Promise<string>; injected?: Promise<void>; name: string }[] = [
      { name: 'RabbitMQ stopped and restarted', at: at(0.15), run: async () => { await brokerDown(() => rabbit!.stop()); return ''; } },
      {
        name: 'gateway g1 SIGKILLed mid-batch, g3 started', at: at(0.35), run: async () => {
          const g1 = gateways[0]!;
          await until(() => g1.inFlight >= 8, 60_000, 'g1 holding 8 requests');
          const inFlight = g1.inFlight;
          const lostBefore = stats.lostAnswers;
          g1.killed = true;
          g1.child.kill('SIGKILL');
          await exited(g1.child);
          gateways.push(await startGateway('g3', script, env, died));
          return ` (${inFlight} requests in flight; ${stats.lostAnswers - lostBefore} answers lost so far)`;
        },
      },
      {
        name: 'MariaDB SIGKILLed and restarted', at: at(0.55), run: async () => {
          const failedBefore = stats.unavailable + stats.lostAnswers;
          await maria!.kill();
          await until(() => stats.unavailable + stats.lostAnswers >= failedBefore + 8, 60_000, 'clients seeing MariaDB down');
          await maria!.start();
          return '';
        },
      },
      { name: 'RabbitMQ SIGKILLed and restarted', at: at(0.75), after: 0, run: async () => { await brokerDown(() => rabbit!.kill()); return ''; } },
    ];
    const faultLog: string[] = [];
    let chaosFailed: Error | undefined;
    const done = faults.map(() => ({ promise: undefined as Promise<void> | undefined }));
    const chaos = Promise.all(faults.map(async (f, i) => {
      await until(() => submitted >= f.at && (f.after === undefined || done[f.after]!.promise !== undefined), deadline - Date.now(), `${f.name}: submission ${f.at}`);
      if (f.after !== undefined) await done[f.after]!.promise;
      trace(`${f.name}: starting`);
      const t0 = Date.now();
      f.injected = f.run().then((more) => { faultLog.push(`${f.name} at submission ${f.at}: ${Date.now() - t0} ms${more}`); trace(`${f.name}: done`); });
      done[i]!.promise = f.injected;
      await f.injected;
    }));
    chaos.catch((e: Error) => { chaosFailed = e; }); // awaited below; the gates stop waiting on a fault that failed

    // The submitter: 32 in flight.
    type Answer = { accepted: boolean; receipt?: Buffer; codes?: string[]; attempts: number; duplicate: boolean };
    const answers: (Answer | undefined)[] = new Array(submissions.length);
    const answered: Promise<void>[] = [];
    const unexpected: string[] = [];
    const submitOne = async (k: number) => {
      const s = submissions[k]!;
      if (s.after !== undefined) await answered[s.after];
      const r = await call('/submit', s.bytes, { 'x-caller': 'op-cmcc' });
      if (r.status !== 200) throw new Error(`${s.id}: HTTP ${r.status} ${JSON.stringify(r.json)}`);
      const a: Answer = {
        accepted: r.json.accepted === true, attempts: r.attempt, duplicate: r.json.duplicate === true,
        ...(r.json.accepted === true ? { receipt: Buffer.from(String(r.json.receipt), 'base64') } : { codes: r.json.codes as string[] }),
      };
      answers[k] = a;
      if (a.accepted && !a.duplicate) r.gateway.accepted += 1;
      if (a.duplicate && a.attempts > 1) stats.retriesAnsweredDuplicate += 1;
      const got = a.accepted ? 'accept' : a.codes![0];
      if (got !== s.expect) unexpected.push(`${s.id}: expected ${s.expect}, got ${a.accepted ? 'accepted' : a.codes!.join(',')}`);
      if (a.duplicate && a.attempts === 1) unexpected.push(`${s.id}: a first attempt answered as a repeat`);
    };
    let next = 0;
    const submitter = Promise.all(Array.from({ length: 32 }, async () => {
      while (next < submissions.length) {
        const k = next++;
        const gate = faults.find((f) => k >= f.at && f.injected === undefined);
        if (gate) await until(() => { if (chaosFailed) throw chaosFailed; return gate.injected !== undefined; }, deadline - Date.now(), `${gate.name} injected`);
        answered[k] = submitOne(k);
        await answered[k];
        submitted += 1;
      }
    }));

    // Each recipient reads its mailbox and acknowledges every delivery through the gateways (signed on the fly,
    // 32 at once). Now and then another recipient first tries to acknowledge it: refused, changes nothing.
    let acked = 0;
    let submitting = true;
    const wrongAcks: string[] = [];
    const ackRepeats: string[] = [];
    const acker = async (code: string, nth: number) => {
      let cursor = '';
      let n = 0;
      while (submitting || acked < DELIVERIES) {
        if (chaosFailed) throw chaosFailed;
        if (Date.now() > deadline) {
          const found = await leftBehind(ds!).catch((e: unknown) => `(could not look: ${String(e)})`);
          throw new Error(`${code}: not every delivery acknowledged in time (${acked} of ${DELIVERIES}); ${found}`);
        }
        const page = await listMailbox(ds!, code, { after: cursor, limit: 200 }, ctx).catch(() => undefined);
        if (page === undefined || page.items.length === 0) { await sleep(page === undefined ? 100 : 20); continue; }
        for (let k = 0; k < page.items.length; k += 32) {
          await Promise.all(page.items.slice(k, k + 32).map(async (item) => {
            const mine = ++n; // taken before any await: the 32 run at once
            const ackOf = (signer: string, id: string): Doc => ({
              id, type: 'Acknowledgement', version: '1.0', from: signer, to: ['mmgw'], sentAt: '2026-11-28T11:01:00+08:00',
              references: { inReplyTo: item.messageId }, body: { messageId: item.messageId, deliveryId: item.deliveryId, receivedAt: '2026-11-28T11:00:30+08:00' },
            });
            const where = `/ack/${encodeURIComponent(item.deliveryId)}`;
            if (mine % 250 === 0) {
              const other = RECIPIENTS[(nth + 1) % RECIPIENTS.length]!;
              const id = `${other}-20261128-w${nth}${String(mine).padStart(6, '0')}`;
              const r = await call(where, await sign(ackOf(other, id), 'json', other));
              if (r.status !== 422 || r.json.code !== 'delivery.ack-wrong-signer') unexpected.push(`${id}: a wrongly signed acknowledgement answered ${r.status} ${JSON.stringify(r.json)}`);
              wrongAcks.push(id);
            }
            const ackId = `${code}-20261128-a${String(mine).padStart(6, '0')}`;
            const r = await call(where, await sign(ackOf(code, ackId), 'json', code));
            if (r.status !== 200) {
              const facts = await Promise.all([
                ds!.query('SELECT id, message_id, recipient_code, status, ack_receipt_id FROM deliveries WHERE id = ?', [Number(item.deliveryId.slice(4))]),
                ds!.query('SELECT id, message_id, issuer_code, kind FROM receipts WHERE id = ?', [ackId]),
                ds!.query('SELECT seq, kind, actor, subject, details FROM audit_entries WHERE subject IN (?, ?)', [item.deliveryId, item.messageId]),
              ]);
              throw new Error(`${item.deliveryId} (${ackId}, attempt ${r.attempt} on ${r.gateway.name}): acknowledgement answered ${r.status} ${JSON.stringify(r.json)}; ${JSON.stringify(facts)}`);
            }
            if (r.json.duplicate === true) {
              if (r.attempt === 1) unexpected.push(`${item.deliveryId}: a first acknowledgement answered as a repeat`);
              ackRepeats.push(item.deliveryId);
            } else r.gateway.acknowledged += 1;
            acked += 1;
          }));
        }
        cursor = page.cursor;
      }
    };
    const ackers = Promise.all(RECIPIENTS.map(acker));
    const progress = setInterval(() => trace(`submitted ${submitted}/${submissions.length}, acked ${acked}/${DELIVERIES}, in flight ${gateways.map((g) => `${g.name} ${g.inFlight}`).join(' ')}, lost ${stats.lostAnswers}, 503 ${stats.unavailable}`), 5000);
    progress.unref();
    await submitter;
    submitting = false;
    const submitMs = Date.now() - started - setupMs - signMs;
    await chaos;
    await ackers;
    clearInterval(progress);

    // A client asking again, after the run, for every message whose answer was lost once, and for 20 others:
    // the same bytes give the original Receipt, byte for byte, and change nothing.
    const accepted = submissions.map((s, k) => ({ s, k, a: answers[k]! })).filter((x) => x.a.accepted);
    const askAgain = [...accepted.filter((x) => x.a.attempts > 1), ...accepted.filter((x) => x.a.attempts === 1).slice(0, 20)];
    for (const { s, a } of askAgain) {
      const r = await call('/submit', s.bytes, { 'x-caller': 'op-cmcc' });
      if (r.json.duplicate !== true || !Buffer.from(String(r.json.receipt), 'base64').equals(a.receipt!)) unexpected.push(`${s.id}: asked again, not the original Receipt`);
    }
    const totalMs = Date.now() - started;

    // The verdict, from the database.
    expect(deaths).toEqual([]);
    expect(unexpected.slice(0, 10)).toEqual([]);
    expect(faultLog).toHaveLength(faults.length);
    expect(accepted).toHaveLength(N);
    expect(stats.lostAnswers).toBeGreaterThan(0); // the SIGKILL did cut answers off
    const q = <T>(sql: string, params: unknown[] = []) => ds!.query(sql, params) as Promise<T[]>;
    // Each accepted message once, with the bytes submitted, one receipt — the one its client holds — and one accept entry.
    const stored = await q<{ id: string; hash: string; receipts: number; receipt_hash: string }>(
      `SELECT m.id, m.hash, COUNT(r.id) AS receipts, MIN(r.hash) AS receipt_hash FROM messages m LEFT JOIN receipts r ON r.message_id = m.id AND r.kind = 'receipt' GROUP BY m.id, m.hash`);
    expect(stored).toHaveLength(N);
    const byId = new Map(stored.map((m) => [m.id, m]));
    const wrongMessage = accepted.filter(({ s, a }) => {
      const m = byId.get(s.id);
      return m === undefined || m.hash !== sha256(s.bytes) || Number(m.receipts) !== 1 || m.receipt_hash !== sha256(a.receipt!);
    }).map(({ s }) => s.id);
    expect(wrongMessage.slice(0, 5)).toEqual([]);
    const [{ accepts, subjects }] = await q<{ accepts: number; subjects: number }>("SELECT COUNT(*) AS accepts, COUNT(DISTINCT subject) AS subjects FROM audit_entries WHERE kind = 'accept'");
    expect([Number(accepts), Number(subjects)]).toEqual([N, N]);
    // Each delivered to each of its recipients once, acknowledged once.
    const expected = new Map(Array.from({ length: N }, (_, i) => [idOf(i), recipientsOf(i).join(',')]));
    const perMessage = await q<{ message_id: string; recipients: string; n: number; acked: number; receipts: number }>(
      `SELECT d.message_id, GROUP_CONCAT(d.recipient_code ORDER BY d.recipient_code) AS recipients, COUNT(*) AS n,
              SUM(d.status = 'acknowledged') AS acked, COUNT(DISTINCT d.ack_receipt_id) AS receipts
         FROM deliveries d GROUP BY d.message_id`);
    expect(perMessage).toHaveLength(N);
    const wrong = perMessage.filter((m) => {
      const want = expected.get(m.message_id)?.split(',').length;
      return m.recipients !== expected.get(m.message_id) || Number(m.n) !== want || Number(m.acked) !== want || Number(m.receipts) !== want;
    });
    expect(wrong.slice(0, 5)).toEqual([]);
    const [{ acks }] = await q<{ acks: number }>("SELECT COUNT(*) AS acks FROM receipts WHERE kind = 'acknowledgement'");
    expect(Number(acks)).toBe(DELIVERIES);
    const [{ ackAudits }] = await q<{ ackAudits: number }>("SELECT COUNT(*) AS ackAudits FROM audit_entries WHERE kind = 'acknowledgement'");
    expect(Number(ackAudits)).toBe(DELIVERIES);
    expect(acked).toBe(DELIVERIES);
    const [{ pending }] = await q<{ pending: number }>('SELECT COUNT(*) AS pending FROM outbox');
    expect(Number(pending)).toBe(0);

    // Every refusal changed nothing: no row of any table names it, but its audit entry `reject`; a replay left the
    // original message as it was (its hash, its one receipt: checked above) and one `reject` entry.
    const refused = [...new Set([...refusals.filter((s) => s.subject !== undefined).map((s) => s.subject!), ...wrongAcks])];
    const columns = await q<{ t: string; c: string }>(
      "SELECT TABLE_NAME AS t, COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND DATA_TYPE IN ('char', 'varchar', 'text', 'mediumtext', 'longtext')");
    expect(columns.length).toBeGreaterThan(10);
    const traces: string[] = [];
    for (const { t, c } of columns) {
      const besidesReject = t === 'audit_entries' ? " AND kind <> 'reject'" : '';
      const [{ n }] = await q<{ n: number }>(`SELECT COUNT(*) AS n FROM \`${t}\` WHERE \`${c}\` IN (?)${besidesReject}`, [refused]);
      if (Number(n) > 0) traces.push(`${t}.${c}: ${n}`);
    }
    expect(traces).toEqual([]);
    const rejectSubjects = new Set((await q<{ subject: string }>("SELECT DISTINCT subject FROM audit_entries WHERE kind = 'reject'")).map((r) => r.subject));
    const unrecorded = [...refusals.map((s) => s.subject ?? s.id)].filter((subject) => !rejectSubjects.has(subject));
    expect(unrecorded).toEqual([]);

    // The audit chain verifies, every entry of it.
    const chain = await verifyAuditChain(ds);
    const [{ entries }] = await q<{ entries: number }>('SELECT COUNT(*) AS entries FROM audit_entries');
    expect(chain).toMatchObject({ ok: true, count: Number(entries) });

    // Per gateway process: the two alive at the end (and the one killed, before) each accepted, routed and
    // acknowledged; no delivery was reported created by two of them, each one reported exists, and the only ones
    // none reported are at most one routing commit of the killed process (committed, then killed before its report).
    expect(gateways.map((g) => [g.name, alive(g)])).toEqual([['g1', false], ['g2', true], ['g3', true]]);
    for (const g of gateways) {
      expect({ gateway: g.name, accepted: g.accepted > 0, acknowledged: g.acknowledged > 0 || g.name === 'g1', created: g.created.length > 0 })
        .toEqual({ gateway: g.name, accepted: true, acknowledged: true, created: true });
    }
    const reported = gateways.flatMap((g) => g.created);
    expect(reported.length - new Set(reported).size).toBe(0);
    const rows = new Set((await q<{ id: number }>('SELECT id FROM deliveries')).map((r) => Number(r.id)));
    expect(reported.filter((id) => !rows.has(id))).toEqual([]);
    expect(rows.size - reported.length).toBeLessThanOrEqual(ROUTING_BATCH * RECIPIENTS.length);
    expect(gateways.reduce((sum, g) => sum + g.accepted, 0)).toBeLessThanOrEqual(N);
    expect(gateways.reduce((sum, g) => sum + g.acknowledged, 0)).toBe(DELIVERIES - ackRepeats.length);

    console.log([
      `nothing-lost: ${N} messages, ${refusals.length} refusals, ${wrongAcks.length} wrongly signed acknowledgements, ${acked} acknowledgements; total ${totalMs} ms`,
      `  services + gateway build ${setupMs} ms, signing ${signMs} ms, submit ${submitMs} ms, ack tail ${totalMs - setupMs - signMs - submitMs} ms`,
      `  answers lost ${stats.lostAnswers}, 503 answers ${stats.unavailable}, retries answered with the original Receipt ${stats.retriesAnsweredDuplicate}, acknowledgements answered as repeats on a retry ${ackRepeats.length}, asked again after the run ${askAgain.length}`,
      `  per gateway (accepted / acknowledged / deliveries created): ${gateways.map((g) => `${g.name} ${g.accepted}/${g.acknowledged}/${g.created.length}`).join(', ')}`,
      ...faultLog.map((f) => `  ${f}`),
    ].join('\n'));
  }, 20 * 60_000);
});
