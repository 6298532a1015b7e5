import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliFor, editedExample, sampleFile, signedBy } from './cli-world';
import { cleanEnv, freePort, REPO, startGateway, type GatewayProcess } from './gateway-process';

/**
 * The main job, end to end: `npm start` as a real process (no configuration but the listen
 * port, the data directory and `services()`), the CLI acting as institutions over HTTPS with
 * mutual TLS, SIGTERM, and a restart on the same data. `services` gives the MMGW_* variables
 * of external services (none: SQLite and the embedded bus), or undefined to skip (reported).
 */
/** Now, as a sentAt the certificates of this run are valid at. */
function nowText(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

export function mainJobSuite(services: () => Record<string, string> | undefined): void {
  const example = (name: string) => path.join(REPO, 'contracts', 'examples', `${name}.json`);
  let dir: string;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let gw: GatewayProcess | undefined;
  let cli: ReturnType<typeof cliFor>;
  let skip = false;
  let external = false;

  beforeAll(async () => {
    const extra = services();
    if (extra === undefined) {
      skip = true;
      return;
    }
    external = extra.MMGW_AMQP_URL !== undefined;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-e2e-'));
    dataDir = path.join(dir, 'data');
    const port = await freePort();
    env = cleanEnv({ MMGW_DATA_DIR: dataDir, MMGW_LISTEN: `127.0.0.1:${port}`, ...extra });
    gw = await startGateway(env);
    cli = cliFor(`https://127.0.0.1:${port}`, dataDir);
  });

  afterAll(async () => {
    if (gw && gw.child.exitCode === null) await gw.terminate();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  let incidentId: string;

  it('prints where it listens, the data directory and how to act as an institution', () => {
    if (skip) return;
    const out = gw!.stdout();
    expect(out).toMatch(/^mmgw: gateway listening on https:\/\/127\.0\.0\.1:\d+$/m);
    expect(out).toContain(`mmgw: data in ${dataDir}`);
    expect(out).toMatch(/first start: created the dev PKI/);
    expect(out).toMatch(external ? /^mmgw: data in .*\(MySQL .*, RabbitMQ bus\)$/m : /^mmgw: data in .*\(SQLite .*mmgw\.sqlite, embedded bus\)$/m);
    expect(out).toContain('npx mmgw send contracts/examples/incident-report.json --as op-cmcc');
    expect(out).toContain('npx mmgw inbox --as miit');
    expect(fs.statSync(path.join(dataDir, 'pki', '.passphrase')).mode & 0o777).toBe(0o600);
  });

  it('an operator\'s level II IncidentReport reaches miit, cncert and the ca-NN of its provinces; each acknowledges; the sender sees all acknowledged', async () => {
    if (skip) return;
    const sent = await cli.send(example('incident-report'), 'op-cmcc');
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    expect(sent.stdout).toMatch(/^recipients: miit, ca-11, ca-44, cncert$/m);
    incidentId = sent.id!;
    expect(incidentId).toMatch(/^op-cmcc-\d{8}-[0-9a-f]{8}$/);

    for (const who of ['miit', 'cncert', 'ca-44', 'ca-11']) {
      const [delivery, ...more] = await cli.deliveriesOf(who, incidentId);
      expect(more).toEqual([]);
      expect(delivery).toMatchObject({ type: 'IncidentReport', from: 'op-cmcc' });
      const text = await cli.run('inbox', '--as', who);
      expect(text.stdout).toContain(`${delivery!.deliveryId}  IncidentReport  from op-cmcc  message ${incidentId}`);
      const ack = await cli.run('ack', delivery!.deliveryId, '--as', who);
      expect(ack.stderr).toBe('');
      expect(ack.stdout).toMatch(new RegExp(`^acknowledged ${delivery!.deliveryId} \\(message ${incidentId}\\) at `, 'm'));
      expect(ack.code).toBe(0);
    }
    // Not a recipient: the operator has nothing of it in its own mailbox, a stranger cannot see its status.
    expect(await cli.deliveriesOf('ca-11', 'no-such-message', 0)).toEqual([]);
    const stranger = await cli.run('status', incidentId, '--as', 'op-cucc');
    expect(stranger.code).toBe(1);
    expect(stranger.stderr).toMatch(/^refused: HTTP 404 http\.not-found/m);

    const status = await cli.run('status', incidentId, '--as', 'op-cmcc');
    expect(status.code).toBe(0);
    for (const who of ['miit', 'cncert', 'ca-44', 'ca-11']) expect(status.stdout).toMatch(new RegExp(`^  ${who}  mailbox  acknowledged  delivered \\S+  acknowledged \\S+$`, 'm'));
    expect(status.stdout).toMatch(/^every recipient acknowledged \(4\)$/m);
  });

  it('a SampleReport with its sample file reaches cncert (the file checked against the declared MD5)', async () => {
    if (skip) return;
    const sample = sampleFile(dir);
    const report = editedExample(dir, 'sample-report', (d) => {
      (d.body.samples as { md5: string }[])[0]!.md5 = sample.md5;
    });
    const sent = await cli.send(report, 'op-cmcc', '--sample', sample.file);
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    expect(sent.stdout).toContain(`sample ${sample.file}: stored as ${sample.sha256} (md5 ${sample.md5}, 4096 bytes)`);
    const [delivery] = await cli.deliveriesOf('cncert', sent.id!);
    expect(delivery).toMatchObject({ type: 'SampleReport', from: 'op-cmcc' });

    // A file whose MD5 no report declares is refused.
    const stray = path.join(dir, 'stray.bin');
    fs.writeFileSync(stray, 'not declared anywhere');
    const again = await cli.send(report, 'op-cmcc', '--sample', stray);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^refused: HTTP 4\d\d http\.sample-undeclared/m);
  });

  describe('refusals, each with its reason and nothing stored', () => {
    async function refused(file: string, as: string, ...more: string[]): Promise<string> {
      const r = await cli.send(file, as, ...more);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      return r.stderr;
    }

    it('invalid: a required field missing', async () => {
      if (skip) return;
      const file = editedExample(dir, 'incident-report', (d) => { delete d.body.reporter; });
      const err = await refused(file, 'op-cmcc');
      expect(err).toMatch(/^refused: HTTP 4\d\d contract\./m);
      expect(err).toMatch(/^ {2}body\.reporter: .*\[contract\.[a-z-]+\]/m);
    });

    it('unsigned', async () => {
      if (skip) return;
      expect(await refused(example('incident-report'), 'op-cmcc', '--no-sign')).toMatch(/^refused: HTTP 400 signature\.missing/m);
    });

    it('signed by someone other than the caller', async () => {
      if (skip) return;
      const byCucc = await signedBy(dataDir, 'op-cucc', editedExample(dir, 'incident-report', (d) => { d.from = 'op-cucc'; d.id = `op-cucc-20261128-${Date.now()}`; d.sentAt = nowText(); }));
      const err = await refused(byCucc, 'op-cmcc');
      expect(err).toMatch(/signer-not-caller/);
      const id = JSON.parse(Buffer.from((JSON.parse(fs.readFileSync(byCucc, 'utf8')) as { payload: string }).payload, 'base64url').toString('utf8')) as { id: string };
      const status = await cli.run('status', id.id, '--as', 'op-cucc');
      expect(status.code).toBe(1); // not stored
    });

    it('an unauthorised form: an operator sending a VerificationResult', async () => {
      if (skip) return;
      const file = editedExample(dir, 'verification-result', (d) => { d.from = 'op-cmcc'; });
      expect(await refused(file, 'op-cmcc')).toMatch(/^refused: HTTP 4\d\d routing\./m);
    });

    it('replayed: the same signed bytes answer the first receipt and store nothing new; the same id with other bytes is refused', async () => {
      if (skip) return;
      const file = editedExample(dir, 'incident-report', (d) => { d.id = `op-cmcc-20261128-${Date.now()}`; d.sentAt = nowText(); });
      const signed = await signedBy(dataDir, 'op-cmcc', file);
      const first = await cli.send(signed, 'op-cmcc');
      expect(first.code).toBe(0);
      const second = await cli.send(signed, 'op-cmcc');
      expect(second.code).toBe(0);
      expect(second.id).toBe(first.id);
      expect(second.stdout).toContain('already accepted before');
      expect(await cli.deliveriesOf('miit', first.id!)).toHaveLength(1);
      const changed = await signedBy(dataDir, 'op-cmcc', editedExample(dir, 'incident-report', (d) => { d.id = first.id; d.body.reporter = '王五'; }));
      expect(await refused(changed, 'op-cmcc')).toMatch(/^refused: HTTP 4\d\d /m);
    });
  });

  it('SIGTERM drains and exits 0; started again on the same data directory, everything is still there', async () => {
    if (skip) return;
    expect(await gw!.terminate()).toBe(0);
    gw = await startGateway(env);
    expect(gw.stdout()).not.toMatch(/first start|seeded/);
    const status = await cli.run('status', incidentId, '--as', 'op-cmcc');
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^every recipient acknowledged \(4\)$/m);
    const [delivery] = await cli.deliveriesOf('miit', incidentId, 0);
    expect(delivery).toBeDefined();
    expect(await gw.terminate()).toBe(0);
  });
}
