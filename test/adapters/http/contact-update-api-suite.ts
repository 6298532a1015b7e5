import * as fs from 'node:fs';
import { request } from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { serveGateway } from '../../../adapters/cli/commands/start';
import type { RunningServer } from '../../../adapters/http';
import { createGateway, type Gateway } from '../../../gateway/app';
import { systemClock } from '../../../gateway/clock';
import { readGatewayConfig } from '../../../gateway/config';
import { contactsOf, historyOf } from '../../../gateway/contacts';
import { ObligationEntity } from '../../../gateway/obligations';
import { credentialFromPem } from '../../../gateway/signing/credential';
import { signDocument } from '../../../gateway/signing/documents';
import { AuditEntryEntity, DeliveryEntity, MessageEntity } from '../../../gateway/store';
import { runCli } from '../../support/capture-io';
import { acceptedId } from '../cli/gateway-world';

const EXAMPLE = path.resolve(__dirname, '..', '..', '..', 'contracts', 'examples', 'contact-update.json');

/** The Beijing calendar date `days` from now, YYYY-MM-DD. */
const beijingDate = (days: number): string => new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Issue 8 item 1: a signed ContactUpdate submitted through the API (POST /v1/messages, mTLS)
 * updates the registry as a console edit does — in the accept transaction, once per message —,
 * the history says who, the effective date and the reported date, and `contact-change` is met or
 * met late (Art. 17, 3 working days from the effective date). `databaseUrl` undefined: SQLite.
 */
export function contactUpdateApiSuite(name: string, databaseUrl: () => string | undefined, available: () => boolean = () => true): void {
  describe(`signed ContactUpdate over the API updates the registry (${name})`, () => {
    let dir: string;
    let gateway: Gateway;
    let server: RunningServer;
    beforeAll(async () => {
      if (!available()) return;
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-contact-api-'));
      const url = databaseUrl();
      const config = readGatewayConfig({ MMGW_LISTEN: '127.0.0.1:0', MMGW_RATE_LIMIT_BURST: '1000', MMGW_CONTACT_MAX_FUTURE_DAYS: '30', ...(url !== undefined && { MMGW_DATABASE_URL: url }) }, dir);
      gateway = await createGateway(config, { clock: systemClock, embeddedPollMs: 20, schedulerIntervalMs: 3_600_000, log: () => undefined });
      server = await serveGateway(config, gateway, systemClock, () => undefined);
    });
    afterAll(async () => {
      if (!available()) return;
      await server.close();
      await gateway.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const doc = (body: Record<string, unknown>) => {
      const example = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as { body: Record<string, unknown> };
      return { ...example, body: { ...example.body, ...body } };
    };
    const send = async (file: string, body: Record<string, unknown>) => {
      const f = path.join(dir, file);
      fs.writeFileSync(f, JSON.stringify(doc(body)));
      return runCli('send', f, '--as', 'op-cmcc', '--gateway', server.url, '--data-dir', gateway.config.dataDir);
    };
    const ds = () => gateway.dataSource;
    const obligationOf = (id: string) => ds().manager.findOne(ObligationEntity, { where: { obligation: 'contact-change', subject: id } });

    it('applies it: current contacts, a history row (by op-cmcc, effective date, reported at the accept time), contact-change met, routed to miit and cncert', async () => {
      if (!available()) return;
      const today = beijingDate(0);
      const r = await send('today.json', { effectiveDate: today, leaderInCharge: { name: '赵新', phone: '010-66006600', email: 'zhaoxin@chinamobile.example.cn' } });
      expect(r.stderr).toBe('');
      const id = acceptedId(r.stdout);
      const message = await ds().manager.findOneByOrFail(MessageEntity, { id });
      const sheet = await contactsOf(ds(), 'op-cmcc');
      expect(sheet).toMatchObject({ institution: 'op-cmcc', effectiveDate: today, leaderInCharge: { name: '赵新' }, departmentHead: { name: '刘洋' } });
      expect(sheet!.reportedAt.getTime()).toBe(message.acceptedAt.getTime());
      const history = await historyOf(ds(), 'op-cmcc');
      expect(history).toHaveLength(1);
      expect(history[0]).toMatchObject({ changedBy: 'op-cmcc', messageId: id, effectiveDate: today });
      expect(history[0]!.reportedAt.getTime()).toBe(message.acceptedAt.getTime());
      expect(history[0]!.diff.map((d) => d.field)).toContain('leaderInCharge.name');
      expect(await obligationOf(id)).toMatchObject({ party: 'op-cmcc', counterparty: 'miit', state: 'met', closedBy: id });
      const audit = await ds().manager.find(AuditEntryEntity, { where: { kind: 'contact-change', subject: 'contacts:op-cmcc' } });
      expect(audit.map((a) => a.actor)).toEqual(['op-cmcc']);
      const deliveries = await until('the deliveries to miit and cncert', async () => {
        const rows = await ds().manager.find(DeliveryEntity, { where: { messageId: id } });
        return rows.length >= 2 ? rows : undefined;
      });
      expect(deliveries.map((d) => d.recipientCode).sort()).toEqual(['cncert', 'miit']);
    });

    it('records a change that took effect five weeks ago as reported late: contact-change met late', async () => {
      if (!available()) return;
      const r = await send('late.json', { effectiveDate: beijingDate(-35) });
      expect(r.stderr).toBe('');
      const id = acceptedId(r.stdout);
      const row = (await historyOf(ds(), 'op-cmcc')).find((h) => h.messageId === id)!;
      expect(row.reportedAt.getTime()).toBeGreaterThan(row.dueAt.getTime());
      expect(await obligationOf(id)).toMatchObject({ state: 'met-late', closedBy: id });
      expect((await contactsOf(ds(), 'op-cmcc'))!.effectiveDate).toBe(beijingDate(-35));
    });

    it('refuses an effective date beyond the configured bound (MMGW_CONTACT_MAX_FUTURE_DAYS=30) and changes nothing', async () => {
      if (!available()) return;
      const before = await historyOf(ds(), 'op-cmcc');
      const sheet = await contactsOf(ds(), 'op-cmcc');
      const messages = await ds().manager.count(MessageEntity);
      const rejects = await ds().manager.count(AuditEntryEntity, { where: { kind: 'reject' } });
      const r = await send('far.json', { effectiveDate: beijingDate(45) });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/refused: HTTP 422 contacts\.effective-date-too-far/);
      // Refused like any other rule: one reject audit entry naming the code, nothing else written.
      const reject = await ds().manager.find(AuditEntryEntity, { where: { kind: 'reject' }, order: { seq: 'DESC' }, take: 1 });
      expect(await ds().manager.count(AuditEntryEntity, { where: { kind: 'reject' } })).toBe(rejects + 1);
      expect((JSON.parse(reject[0]!.details) as { codes: string[] }).codes).toEqual(['contacts.effective-date-too-far']);
      expect(await historyOf(ds(), 'op-cmcc')).toEqual(before);
      expect(await contactsOf(ds(), 'op-cmcc')).toEqual(sheet);
      expect(await ds().manager.count(MessageEntity)).toBe(messages);
    });

    it('applies the same signed bytes once: a repeat gets the original Receipt and adds no history row, no obligation', async () => {
      if (!available()) return;
      const pki = path.join(gateway.config.dataDir, 'pki', 'institutions');
      const key = fs.readFileSync(path.join(pki, 'op-cmcc.key.pem'), 'utf8');
      const cert = fs.readFileSync(path.join(pki, 'op-cmcc.cert.pem'), 'utf8');
      const passphrase = gateway.passphrase.passphrase;
      const id = `op-cmcc-${beijingDate(0).replace(/-/g, '')}-once0001`;
      const d = { ...doc({ effectiveDate: beijingDate(-1), department: '网络与信息安全部' }), id, sentAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
      const bytes = Buffer.from(await signDocument(JSON.stringify(d), credentialFromPem(key, cert, passphrase)));
      const post = () => new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(`${server.url}/v1/messages`, {
          method: 'POST', key, cert, passphrase, rejectUnauthorized: false,
          headers: { 'content-type': 'application/jose+json', 'content-length': String(bytes.length) },
        }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        });
        req.on('error', reject);
        req.end(bytes);
      });
      const [first, second] = [await post(), await post()];
      expect(first.status).toBeLessThan(300);
      expect(second).toEqual(first);
      expect((await historyOf(ds(), 'op-cmcc')).filter((h) => h.messageId === id)).toHaveLength(1);
      expect(await ds().manager.count(ObligationEntity, { where: { obligation: 'contact-change', subject: id } })).toBe(1);
      expect((await contactsOf(ds(), 'op-cmcc'))!.department).toBe('网络与信息安全部');
    });
  });
}
