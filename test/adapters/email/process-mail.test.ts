import { backoffDelay } from '../../../adapters/email/imap-intake';
import { oversizedReport, processMail } from '../../../adapters/email/process-mail';
import { compose, fakeIntake, fakeUnsigned, signedCorpus, testContacts, type SignedCorpus } from './fixtures';

/** Which folder each kind of mail ends in, with a fake intake (the real one is gateway/intake). */
describe('processMail', () => {
  let corpus: SignedCorpus;
  beforeAll(async () => { corpus = await signedCorpus(); });
  const deps = (c: SignedCorpus) => ({ intake: fakeIntake(c.trust), contacts: testContacts, unsigned: fakeUnsigned() });

  it('a valid signed form → intake accepts it → Processed; the intake saw the form bytes unchanged', async () => {
    const d = deps(corpus);
    const r = await processMail(await compose({ from: 'x@example.org', subject: 's', text: 't', attachments: [{ content: corpus.incidentXml, contentType: 'application/xml' }] }), d);
    expect(r.folder).toBe('processed');
    expect(r.outcomes.map((o) => o.outcome)).toEqual([{ outcome: 'accepted', messageId: 'op-cmcc-20261128-0007', formType: 'IncidentReport' }]);
    expect(d.intake.completed).toEqual(['op-cmcc-20261128-0007']);
  });

  it('an invalid signature → rejected with the signature code → Rejected', async () => {
    const r = await processMail(await compose({ from: 'x@example.org', subject: 's', text: 't', attachments: [{ content: corpus.incidentXml.replace('GhostPush', 'GhostPusH'), contentType: 'application/xml' }] }), deps(corpus));
    expect(r.folder).toBe('rejected');
    expect(r.outcomes[0]!.outcome).toMatchObject({ outcome: 'rejected', code: 'signature.tampered' });
  });

  it('one good and one bad form → Processed (something was accepted), both outcomes reported', async () => {
    const r = await processMail(await compose({ from: 'x@example.org', subject: 's', text: 't', attachments: [
      { content: corpus.incidentXml, contentType: 'application/xml' },
      { content: corpus.feedbackJws.replace(/"signature":\s*"[^"]{8}/, '"signature":"AAAAAAAA'), contentType: 'application/json' },
    ] }), deps(corpus));
    expect(r.folder).toBe('processed');
    expect(r.outcomes.map((o) => o.outcome.outcome)).toEqual(['accepted', 'rejected']);
  });

  it('unsigned from a contact → recorded → Processed; from a stranger → Quarantine; too large → Rejected', async () => {
    const d = deps(corpus);
    const contact = await processMail(await compose({ from: 'security@chinamobile.example.cn', subject: '紧急', text: '已封堵' }), d);
    expect(contact.folder).toBe('processed');
    expect(d.unsigned.recorded).toEqual(['security@chinamobile.example.cn']);
    const stranger = await processMail(await compose({ from: 'who@example.org', subject: 'hi', text: 'hello' }), d);
    expect(stranger).toMatchObject({ folder: 'quarantine', classification: { code: 'email.unknown-sender' } });
    const big = await processMail(await compose({ from: 'x@example.org', subject: 'b', text: 'x'.repeat(2000) }), { ...d, parse: { maxMailBytes: 1000 } });
    expect(big).toMatchObject({ folder: 'rejected', classification: { kind: 'refused', code: 'email.too-large' } });
    expect(oversizedReport(5000, 1000)).toMatchObject({ folder: 'rejected', classification: { code: 'email.too-large', reason: expect.stringContaining('5000') as string } });
  });

  it('an intake failure propagates (the mail is left for a retry, not moved)', async () => {
    const d = deps(corpus);
    d.intake.before = async () => { throw new Error('database down'); };
    await expect(processMail(await compose({ from: 'x@example.org', subject: 's', text: 't', attachments: [{ content: corpus.incidentXml, contentType: 'application/xml' }] }), d)).rejects.toThrow('database down');
  });

  it('back-off doubles from the first delay up to the cap', () => {
    const b = { initialMs: 200, maxMs: 5000 };
    expect([0, 1, 2, 3, 4, 5, 100].map((a) => backoffDelay(a, b))).toEqual([200, 400, 800, 1600, 3200, 5000, 5000]);
  });
});
