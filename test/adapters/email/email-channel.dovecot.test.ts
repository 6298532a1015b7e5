import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Transporter } from 'nodemailer';
import { startServices, type StartedServices } from '../../../adapters/cli/commands/start';
import { encode } from '../../../contracts/codec';
import type { MessageDocument } from '../../../contracts/codec/message-document';
import { systemClock } from '../../../gateway/clock';
import type { AlertMailer } from '../../../gateway/obligations';
import { readGatewayConfig } from '../../../gateway/config';
import { credentialFromPem } from '../../../gateway/signing/credential';
import { signDocument } from '../../../gateway/signing/documents';
import { PKI_FILES } from '../../../gateway/signing/pki-directory';
import { deliveryRef } from '../../../gateway/deliveries';
import { DeliveryEntity, InstitutionEntity } from '../../../gateway/store';
import { mailsIn as mailsOf, smtpTransport, useMailServers, waitFor, type TestMailbox } from '../../support/mail-servers';

/**
 * The e-mail channel wired by `mmgw start` (startServices, what the command runs) from its
 * settings MMGW_IMAP_URL / MMGW_SMTP_URL, against a real Postfix → Dovecot: a signed form mailed
 * to the gateway's mailbox is accepted and its Receipt comes back by mail; the accepted message's
 * delivery to an institution whose channel is e-mail arrives in that institution's Dovecot
 * mailbox, S/MIME-signed (openssl cms -verify with the dev CA) with the document unchanged.
 */
jest.setTimeout(90_000);

describe('mmgw start with the e-mail channel configured (Postfix → Dovecot)', () => {
  const mail = useMailServers(__filename);
  let dir: string;
  let services: StartedServices | undefined;
  let smtp: Transporter;
  const logs: string[] = [];
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'mmgw-email-start-')); });
  afterAll(async () => {
    await services?.close();
    smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const mailsIn = async (box: TestMailbox, folder: string): Promise<Buffer[]> => (await mailsOf(mail.servers, box, folder)).map((m) => m.source);

  const until = <T,>(what: string, get: () => Promise<T | undefined>, timeoutMs = 30_000) => waitFor(mail.servers, what, get, { timeoutMs, logTail: 3000, context: () => `gateway log:\n${logs.join('\n')}` });

  it('answers a mailed form with its Receipt, delivers the message by S/MIME-signed mail to an e-mail institution, and takes its acknowledgement by reply', async () => {
    if (!mail.available) return;
    const gw = mail.servers.createMailbox('gw');
    const op = mail.servers.createMailbox('op');
    const miit = mail.servers.createMailbox('miit');
    const env = {
      MMGW_DATA_DIR: join(dir, 'data'), MMGW_LISTEN: '127.0.0.1:0',
      MMGW_IMAP_URL: `imap://${encodeURIComponent(gw.user)}:${encodeURIComponent(gw.password)}@${mail.servers.host}:${mail.servers.imapPort}/INBOX`,
      MMGW_SMTP_URL: `smtp://${mail.servers.host}:${mail.servers.smtpPort}`,
    };
    const config = readGatewayConfig(env, dir);
    expect(config.email?.from).toBe(gw.address);
    services = await startServices(config, systemClock, (line) => logs.push(line));
    expect(services.email?.describe()).toContain(`mail from ${gw.address}`);
    expect(services.email?.describe()).not.toContain(gw.password);
    const { gateway } = services;
    await gateway.dataSource.getRepository(InstitutionEntity).update({ code: 'miit' }, { channels: [{ kind: 'email', endpoint: miit.address }, { kind: 'mailbox' }] });

    // op-cmcc signs an IncidentReport with its dev credential and mails it to the gateway.
    const pki = join(config.dataDir, 'pki');
    const credential = credentialFromPem(readFileSync(join(pki, PKI_FILES.institutionKey('op-cmcc'))), readFileSync(join(pki, PKI_FILES.institutionCert('op-cmcc'))), gateway.passphrase.passphrase);
    const doc = JSON.parse(readFileSync(join(__dirname, '../../../contracts/examples/incident-report.json'), 'utf8')) as MessageDocument;
    const id = `op-cmcc-20261128-m${randomBytes(3).toString('hex')}`;
    const bytes = Buffer.from(await signDocument(encode({ ...doc, id, sentAt: new Date().toISOString() }, 'xml'), credential));
    smtp = smtpTransport(mail.servers);
    await smtp.sendMail({ from: op.address, to: gw.address, subject: '事件报告', text: '附件为签名的事件报告。', attachments: [{ filename: 'report.xml', content: bytes, contentType: 'application/xml' }] });

    // The Receipt comes back to the sender.
    const [reply] = await until('the Receipt reply', async () => { const r = await mailsIn(op, 'INBOX'); return r.length > 0 ? r : undefined; });
    const parsedReply = await simpleParser(reply!);
    expect(`${parsedReply.subject ?? ''}\n${parsedReply.text ?? ''}`).toMatch(/^\[回执 \/ Receipt\]/);
    const receipt = parsedReply.attachments.find((a) => a.filename?.startsWith(`receipt-${id}`));
    expect(receipt?.content.toString('utf8')).toContain('Receipt');
    expect((await until('the form in Processed', async () => { const r = await mailsIn(gw, 'Processed'); return r.length === 1 ? r : undefined; }))).toHaveLength(1);

    // The delivery to miit (channel e-mail) arrives in its mailbox, S/MIME-signed, the document unchanged.
    const [delivered] = await until('the delivery mail to miit', async () => { const r = await mailsIn(miit, 'INBOX'); return r.length > 0 ? r : undefined; });
    const parsed = await simpleParser(delivered!);
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/signed', params: { protocol: 'application/pkcs7-signature', micalg: 'sha-256' } });
    expect(parsed.attachments.find((a) => a.filename === `${id}.xml`)?.content.equals(bytes)).toBe(true);
    expect(parsed.text).toContain(id);
    const file = join(dir, 'delivered.eml');
    writeFileSync(file, delivered!);
    const verified = spawnSync('openssl', ['cms', '-verify', '-in', file, '-CAfile', join(pki, PKI_FILES.caCert), '-out', join(dir, 'content.eml')], { encoding: 'utf8' });
    expect(`${verified.stdout}${verified.stderr}`).toContain('Verification successful');
    expect(verified.status).toBe(0);
    const sent = await until('the delivery marked sent', async () => {
      const rows = await gateway.dataSource.getRepository(DeliveryEntity).find({ where: { messageId: id, recipientCode: 'miit' } });
      return rows.length === 1 && rows[0]!.status === 'sent' ? rows : undefined;
    });
    expect(sent[0]!.channel).toBe('email');

    // miit acknowledges by replying with its signed Acknowledgement attached: the delivery is acknowledged.
    const ref = deliveryRef(sent[0]!.id);
    const miitCredential = credentialFromPem(readFileSync(join(pki, PKI_FILES.institutionKey('miit'))), readFileSync(join(pki, PKI_FILES.institutionCert('miit'))), gateway.passphrase.passphrase);
    const now = new Date().toISOString();
    const ackDoc = { id: `miit-20261128-a${randomBytes(3).toString('hex')}`, type: 'Acknowledgement', version: '1.0', from: 'miit', to: ['mmgw'], sentAt: now, references: { inReplyTo: id }, body: { messageId: id, deliveryId: ref, receivedAt: now, receivedBy: '工业和信息化部网络安全管理局' } } as MessageDocument;
    const ack = Buffer.from(await signDocument(encode(ackDoc, 'json'), miitCredential));
    await smtp.sendMail({ from: miit.address, to: gw.address, subject: `Re: ${parsed.subject ?? ''}`, inReplyTo: parsed.messageId ?? '', text: '已收到。', attachments: [{ filename: 'ack.jws.json', content: ack, contentType: 'application/jose+json' }] });
    const acked = await until('the delivery acknowledged', async () => {
      const row = await gateway.dataSource.getRepository(DeliveryEntity).findOneBy({ id: sent[0]!.id });
      return row?.status === 'acknowledged' ? row : undefined;
    });
    expect(acked.ackReceiptId).toBe(ackDoc.id);
    const answered = await until('the answer to the acknowledgement', async () => { const r = await mailsIn(miit, 'INBOX'); return r.length === 2 ? r : undefined; });
    expect((await simpleParser(answered[1]!)).subject).toMatch(/^\[回执 \/ Receipt\]/);

    // The channel's mailer also mails alerts (createGateway uses its sendAlert), S/MIME-signed.
    const mailer = services.email!.mailer(gateway.pki.identity) as AlertMailer;
    await mailer.sendAlert!({ to: miit.address, alertId: 'alr-00000001', recipient: 'miit', kind: 'reminder', subject: '时限提醒 / deadline reminder', text: '提醒\nreminder', json: Buffer.from('{"alertId":"alr-00000001"}') });
    const all = await until('the alert mail', async () => { const r = await mailsIn(miit, 'INBOX'); return r.length === 3 ? r : undefined; });
    const alertRaw = all.find((m) => /^x-mmgw-alert: alr-00000001\r?$/im.test(m.toString('latin1')))!;
    expect((await simpleParser(alertRaw)).attachments.find((a) => a.filename === 'alr-00000001.json')).toBeDefined();
    writeFileSync(join(dir, 'alert.eml'), alertRaw);
    expect(spawnSync('openssl', ['cms', '-verify', '-in', join(dir, 'alert.eml'), '-CAfile', join(pki, PKI_FILES.caCert), '-out', join(dir, 'alert-content.eml')]).status).toBe(0);
    expect(logs.filter((l) => /e-mail intake/.test(l))).toEqual([]);
  });
});
