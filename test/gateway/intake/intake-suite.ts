import { createHash } from 'node:crypto';
import { encode } from '../../../contracts/codec';
import { verifyAuditChain } from '../../../gateway/audit/verify';
import { verifyGatewayDocument } from '../../../gateway/identity';
import type { IntakeOutcome } from '../../../gateway/intake';
import { Registry } from '../../../gateway/registry';
import { AuditEntryEntity, InstitutionCertificateEntity, MessageEntity, OutboxEntity, ReceiptEntity } from '../../../gateway/store';
import { counts, example, openWorld, signed, type UrlSource, type World } from './world';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The intake suite, on the database `urls` gives (SQLite, or MariaDB when reachable). */
export function intakeSuite(urls: UrlSource): void {
  let w: World | undefined;
  const it = (name: string, fn: (w: World) => Promise<void>, timeoutMs?: number) => global.it(name, async () => {
    if (w !== undefined) await fn(w);
  }, timeoutMs);
  beforeAll(async () => {
    const url = urls();
    if (url !== undefined && url !== '') w = await openWorld(url);
  });
  afterAll(async () => {
    await w?.ds.destroy();
  });

  async function body(w: World, outcome: IntakeOutcome): Promise<Record<string, unknown>> {
    const doc = outcome.accepted ? outcome.receipt : outcome.rejection;
    const check = await verifyGatewayDocument(doc.bytes, w.identity.credential.certificate);
    if (!check.ok) throw new Error(check.reason);
    return check.document;
  }

  describe('accepts', () => {
    const cases = [
      ['incident-report', 'xml'], ['sample-report', 'json'], ['incident-notice', 'xml'], ['verification-result', 'json'], ['incident-report', 'json'], ['sample-report', 'xml'],
    ] as const;
    for (const [form, format] of cases) it(`a signed ${form} as ${format}: message, receipt, outbox and audit in one go, and a Receipt signed in the same format`, async (w) => {
      const before = await counts(w);
      const doc = example(form);
      const bytes = await signed(w, doc, format);
      const out = await w.intake.submit({ bytes, caller: String(doc.from) });
      if (!out.accepted) throw new Error(JSON.stringify(out.errors));
      expect(out).toMatchObject({ messageId: doc.id, duplicate: false, receipt: { mediaType: format === 'xml' ? 'application/xml' : 'application/jose+json' } });
      expect(out.receipt.bytes.toString('utf8').trimStart()[0]).toBe(format === 'xml' ? '<' : '{');
      const receipt = await body(w, out);
      const recipients = [...new Set([...(doc.to as string[]), ...((doc.cc as string[] | undefined) ?? [])])];
      expect(receipt).toMatchObject({ type: 'Receipt', from: 'mmgw', to: [doc.from], body: { messageId: doc.id, sha256: sha256(bytes), acceptedAt: '2026-11-28T03:00:00.000Z', recipients } });

      const row = await w.ds.manager.findOneByOrFail(MessageEntity, { id: String(doc.id) });
      expect(Buffer.from(row.bytes).equals(bytes)).toBe(true);
      expect(row).toMatchObject({ hash: sha256(bytes), fromCode: doc.from, toCodes: doc.to, ccCodes: doc.cc ?? [], format, size: bytes.length });
      const stored = await w.ds.manager.findOneByOrFail(ReceiptEntity, { messageId: String(doc.id), kind: 'receipt' });
      expect(Buffer.from(stored.bytes).equals(out.receipt.bytes)).toBe(true);
      const outbox = await w.ds.manager.findOneByOrFail(OutboxEntity, { messageId: `accepted:${String(doc.id)}` });
      expect(outbox.topic).toBe(`message.accepted.${String(doc.type)}`);
      expect(JSON.parse(Buffer.from(outbox.payload).toString('utf8'))).toEqual({ messageId: doc.id });
      const audit = await w.ds.manager.findOneByOrFail(AuditEntryEntity, { subject: String(doc.id) });
      expect(audit).toMatchObject({ kind: 'accept', actor: doc.from });
      expect(await verifyAuditChain(w.ds)).toMatchObject({ ok: true });
      const after = await counts(w);
      expect(after).toMatchObject({ messages: before.messages! + 1, receipts: before.receipts! + 1, outbox: before.outbox! + 1, audit: before.audit! + 1 });
      expect(after.samples! - before.samples!).toBe(form === 'sample-report' ? 1 : 0);
      expect(w.accepted.at(-1)).toMatchObject({ id: doc.id, type: doc.type, from: doc.from, to: doc.to, receivedAt: w.clock.now(), body: expect.objectContaining({}) });
    });

    it('without a caller (e-mail), and routes a SampleIdentification to the operator whose SampleReport was accepted', async (w) => {
      const report = example('sample-report', (d) => { (d.body.samples as { md5: string }[])[0]!.md5 = 'aa'.repeat(16); });
      expect((await w.intake.submit({ bytes: await signed(w, report, 'json') })).accepted).toBe(true);
      const ident = example('sample-identification', (d) => { (d.body.samples as { md5: string }[])[0]!.md5 = 'aa'.repeat(16); });
      const out = await w.intake.submit({ bytes: await signed(w, ident, 'json') });
      expect(out.accepted ? [] : out.errors).toEqual([]);
      const wrongReporter = example('sample-identification', (d) => { (d.body.samples as { md5: string }[])[0]!.md5 = 'aa'.repeat(16); d.to = ['op-cucc']; });
      const refused = await w.intake.submit({ bytes: await signed(w, wrongReporter, 'json') });
      expect(refused.accepted ? [] : refused.errors.map((e) => e.code)).toEqual(expect.arrayContaining(['routing.missing-recipient', 'routing.recipient-not-allowed']));
    });
  });

  describe('refuses, with a signed Rejection, its own code and nothing but one audit entry', () => {
    async function refused(w: World, bytes: Buffer, caller: string | undefined, codes: string[], status: number, submit = w.intake): Promise<Record<string, unknown>> {
      const before = await counts(w);
      const out = await submit.submit({ bytes, caller });
      if (out.accepted) throw new Error('accepted');
      expect(out.errors.map((e) => e.code)).toEqual(codes);
      expect(out.status).toBe(status);
      const after = await counts(w);
      expect(after).toEqual({ ...before, audit: before.audit! + 1 });
      const last = await w.ds.manager.find(AuditEntryEntity, { order: { seq: 'DESC' }, take: 1 });
      expect(last[0]).toMatchObject({ kind: 'reject' });
      expect((JSON.parse(last[0]!.details) as { codes: string[] }).codes).toEqual(codes);
      expect(await verifyAuditChain(w.ds)).toMatchObject({ ok: true });
      const rejection = await body(w, out);
      expect(rejection).toMatchObject({ type: 'Rejection', from: 'mmgw', body: { sha256: sha256(bytes), errors: out.errors.map((e) => expect.objectContaining({ code: e.code })) } });
      return rejection;
    }

    it('oversized (413)', async (w) => {
      const small = w.intakeWith({ maxBytes: 1500 });
      const bytes = await signed(w, example('incident-report'), 'json');
      expect(bytes.length).toBeGreaterThan(1500);
      await refused(w, bytes, 'op-cmcc', ['intake.too-large'], 413, small);
    });

    it('malformed', async (w) => {
      const r = await refused(w, Buffer.from('<message xmlns="urn:mmgw:message:1"><id>op-cmcc-1</id'), 'op-cmcc', ['contract.malformed-xml'], 400);
      expect(r.to).toEqual(['op-cmcc']);
    });

    it('invalid with an empty id and sender: still one audit entry, about the hash', async (w) => {
      const doc = example('incident-report', (d) => { d.id = ''; d.from = ''; });
      const bytes = Buffer.from(encode(doc, 'json'));
      const before = await w.intake.submit({ bytes });
      expect(before.accepted).toBe(false);
      const last = await w.ds.manager.find(AuditEntryEntity, { order: { seq: 'DESC' }, take: 1 });
      expect(last[0]).toMatchObject({ kind: 'reject', actor: 'unknown', subject: `sha256:${sha256(bytes)}` });
      expect(await body(w, before)).toMatchObject({ to: ['mmgw'], body: { sha256: sha256(bytes) } });
    });

    it('invalid, listing every contract error at once, in the format sent', async (w) => {
      const doc = example('sample-report', (d) => {
        (d.body.samples as { md5: string }[])[0]!.md5 = '9e107d9d372bb6826bd81d3542a419';
        delete d.body.analysis;
      });
      const bytes = await signed(w, doc, 'xml');
      const r = await refused(w, bytes, undefined, ['contract.md5', 'contract.required'], 422);
      const errors = (r.body as { errors: { code: string; path: string }[] }).errors;
      expect(errors).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'contract.md5', path: 'body.samples[0].md5' }), expect.objectContaining({ code: 'contract.required', path: 'body.analysis' })]));
      expect(r).toMatchObject({ to: ['op-cmcc'], references: { inReplyTo: doc.id }, body: { messageId: doc.id } });
    });

    it('unsigned', async (w) => {
      await refused(w, Buffer.from(encode(example('incident-report'), 'xml')), 'op-cmcc', ['signature.missing'], 400);
    });

    it('wrongly signed (tampered after signing)', async (w) => {
      const bytes = await signed(w, example('incident-report'), 'xml');
      const tampered = Buffer.from(bytes.toString('utf8').replace('<level>II</level>', '<level>III</level>'));
      expect(tampered.equals(bytes)).toBe(false);
      await refused(w, tampered, 'op-cmcc', ['signature.tampered'], 400);
    });

    it('signed by another institution than from', async (w) => {
      await refused(w, await signed(w, example('incident-report'), 'json', 'op-cucc'), undefined, ['signature.sender-mismatch'], 400);
    });

    it('signed by another institution than the authenticated caller (403)', async (w) => {
      await refused(w, await signed(w, example('incident-report'), 'json'), 'op-cucc', ['intake.signer-not-caller'], 403);
    });

    it('unauthorised: an operator sending a VerificationResult (403)', async (w) => {
      const doc = example('verification-result', (d) => { d.from = 'op-cmcc'; d.to = ['miit', 'ca-11', 'ca-44']; });
      await refused(w, await signed(w, doc, 'json'), 'op-cmcc', ['routing.sender-not-allowed'], 403);
    });

    it('a required recipient missing', async (w) => {
      const doc = example('incident-report', (d) => { d.cc = ['ca-11', 'ca-44']; });
      const r = await refused(w, await signed(w, doc, 'json'), 'op-cmcc', ['routing.missing-recipient'], 422);
      expect(r.body).toMatchObject({ errors: [{ path: 'cc', source: 'Art. 10(2)' }] });
    });

    it('a recipient not in the registry', async (w) => {
      const doc = example('incident-notice', (d) => { d.to = ['op-cmcc', 'op-nobody']; });
      const r = await refused(w, await signed(w, doc, 'xml'), 'cncert', ['intake.unknown-recipient'], 422);
      expect(r.body).toMatchObject({ errors: [{ path: 'to[1]' }] });
    });

    it('signed with a certificate the registry has withdrawn', async (w) => {
      const cert = w.credential('op-ctcc').certificate;
      await w.ds.manager.insert(InstitutionCertificateEntity, {
        fingerprint: createHash('sha256').update(cert.raw).digest('hex'), institutionCode: 'op-ctcc', pem: cert.toString(),
        notBefore: new Date(cert.validFrom), notAfter: new Date(cert.validTo), revokedAt: new Date('2026-11-27T00:00:00Z'), addedAt: new Date('2026-11-20T00:00:00Z'),
      });
      const fresh = w.intakeWith({ registry: new Registry(w.ds, { clock: w.clock }) });
      const doc = example('incident-report', (d) => { d.from = 'op-ctcc'; d.id = String(d.id).replace('op-cmcc', 'op-ctcc'); });
      await refused(w, await signed(w, doc, 'json'), 'op-ctcc', ['intake.certificate-withdrawn'], 400, fresh);
    });

    it('a message id accepted before, with other bytes (409)', async (w) => {
      const doc = example('incident-report');
      expect((await w.intake.submit({ bytes: await signed(w, doc, 'json'), caller: 'op-cmcc' })).accepted).toBe(true);
      const replay = { ...doc, body: { ...doc.body, summary: 'changed after acceptance' } };
      await refused(w, await signed(w, replay, 'json'), 'op-cmcc', ['intake.id-conflict'], 409);
      // The same bytes in the other format are other bytes too.
      await refused(w, await signed(w, doc, 'xml'), 'op-cmcc', ['intake.id-conflict'], 409);
    });
  });

  describe('a repeat', () => {
    it('of the same bytes returns the original Receipt, byte for byte, and writes nothing', async (w) => {
      const bytes = await signed(w, example('incident-report'), 'xml');
      const first = await w.intake.submit({ bytes, caller: 'op-cmcc' });
      if (!first.accepted) throw new Error('refused');
      const before = await counts(w);
      w.clock.advance(60_000);
      const again = await w.intake.submit({ bytes, caller: 'op-cmcc' });
      const byMail = await w.intake.submit({ bytes });
      for (const out of [again, byMail]) {
        if (!out.accepted) throw new Error('refused');
        expect(out.duplicate).toBe(true);
        expect(out.receipt.bytes.equals(first.receipt.bytes)).toBe(true);
        expect(out.receipt.mediaType).toBe('application/xml');
      }
      expect(await counts(w)).toEqual(before);
    });

    it('racing: two submissions of one id at once give one accept and the original Receipt', async (w) => {
      const bytes = await signed(w, example('incident-report'), 'json');
      const before = await counts(w);
      const outs = await Promise.all([1, 2, 3].map(() => w.intake.submit({ bytes, caller: 'op-cmcc' })));
      const accepted = outs.filter((o): o is Extract<IntakeOutcome, { accepted: true }> => o.accepted);
      expect(accepted).toHaveLength(3);
      expect(accepted.filter((o) => !o.duplicate)).toHaveLength(1);
      for (const o of accepted) expect(o.receipt.bytes.equals(accepted.find((a) => !a.duplicate)!.receipt.bytes)).toBe(true);
      expect(await counts(w)).toMatchObject({ messages: before.messages! + 1, receipts: before.receipts! + 1, outbox: before.outbox! + 1, audit: before.audit! + 1 });
    });

    it('racing with other bytes under one id: one accepted, the other refused as an id conflict', async (w) => {
      const doc = example('incident-report');
      const a = await signed(w, doc, 'json');
      const b = await signed(w, { ...doc, body: { ...doc.body, summary: 'another text' } }, 'json');
      const outs = await Promise.all([a, b].map((bytes) => w.intake.submit({ bytes, caller: 'op-cmcc' })));
      expect(outs.filter((o) => o.accepted)).toHaveLength(1);
      const lost = outs.find((o) => !o.accepted);
      expect(lost?.accepted === false ? lost.errors.map((e) => e.code) : []).toEqual(['intake.id-conflict']);
      expect(await w.ds.manager.countBy(MessageEntity, { id: String(doc.id) })).toBe(1);
    });
  });
}
