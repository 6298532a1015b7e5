import { intakePortFor, storeCursor } from '../../../adapters/email';
import { counts, example, openWorld, signed, sqliteUrls, type World } from '../../gateway/intake/world';

const urls = sqliteUrls();
let w: World;
beforeAll(async () => { w = await openWorld(urls() ?? ''); });
afterAll(async () => { await w.ds.destroy(); });

describe('intakePortFor', () => {
  it('accepts a signed form once whether it came by API or by e-mail, and answers with the same Receipt', async () => {
    const bytes = await signed(w, example('incident-report'), 'json');
    const before = await counts(w);
    const byApi = await w.intake.submit({ bytes });
    const byMail = await intakePortFor(w.intake).submitForm(bytes);
    expect(byApi.accepted).toBe(true);
    expect(byMail.outcome).toBe('accepted');
    if (!byApi.accepted || byMail.outcome !== 'accepted') throw new Error('not accepted');
    expect(byMail.messageId).toBe(byApi.messageId);
    expect(byMail.formType).toBe('IncidentReport');
    expect(byMail.document?.bytes.equals(byApi.receipt.bytes)).toBe(true);
    expect((await counts(w)).messages).toBe(before.messages + 1);
    expect(w.accepted).toHaveLength(1);
  });

  it('refuses a tampered form with the signature code and the signed Rejection attached', async () => {
    const bytes = await signed(w, example('incident-report'), 'xml');
    const tampered = Buffer.from(bytes.toString('utf8').replace('<reporter>李强</reporter>', '<reporter>李四</reporter>'));
    expect(tampered.equals(bytes)).toBe(false);
    const out = await intakePortFor(w.intake).submitForm(tampered);
    expect(out.outcome).toBe('rejected');
    if (out.outcome !== 'rejected') throw new Error('accepted');
    expect(out.code).toMatch(/^signature\./);
    expect(out.document?.bytes.length).toBeGreaterThan(0);
  });
});

describe('storeCursor', () => {
  it('keeps the cursor and a pending move across a reopen of the store', async () => {
    const store = storeCursor(w.ds);
    expect(await store.load('INBOX')).toBeUndefined();
    await store.save('INBOX', { uidValidity: '1700000000', lastUid: 41, pendingMove: { uid: 42, folder: 'rejected' } });
    expect(await storeCursor(w.ds).load('INBOX')).toEqual({ uidValidity: '1700000000', lastUid: 41, pendingMove: { uid: 42, folder: 'rejected' } });
    await store.save('INBOX', { uidValidity: '1700000000', lastUid: 42 });
    expect(await store.load('INBOX')).toEqual({ uidValidity: '1700000000', lastUid: 42 });
    expect(await store.load('Other')).toBeUndefined();
  });
});
