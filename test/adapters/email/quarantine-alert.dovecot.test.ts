import type { Transporter } from 'nodemailer';
import { contactDirectoryFor, ImapIntake, intakePortFor, quarantineAlerter, storeCursor } from '../../../adapters/email';
import { coreAlerts } from '../../../adapters/http/routes/alerts';
import { gatewayTopology } from '../../../gateway/app/topology';
import { EmbeddedBus } from '../../../gateway/bus';
import { AlertEntity, startAlertConsumer } from '../../../gateway/obligations';
import { imapOptions, smtpTransport, subjectsIn as subjectsOf, useMailServers, waitFor, type TestMailbox } from '../../support/mail-servers';
import { openWorld, sqliteUrls, type World } from '../../gateway/intake/world';

/**
 * Issue 7 item 2, "anything it cannot make sense of to Quarantine with an alert", end to end: a
 * mail from a stranger goes Postfix → Dovecot → the IMAP intake → Quarantine; the quarantine
 * alerter's outbox row `email.quarantined` goes over the gateway's bus topology to the `alerts`
 * queue, whose consumer stores it as an alert for the gateway's operator (`mmgw`), listed by
 * the port behind GET /v1/alerts — and nothing is parked as `alert.bad-payload`.
 */
jest.setTimeout(90_000); // a deadline for a loaded CI machine, not a timing

describe('a quarantined mail becomes an alert of the gateway operator, Postfix → Dovecot → bus → alerts', () => {
  const mail = useMailServers(__filename);
  const urls = sqliteUrls();
  let w: World;
  let smtp: Transporter;
  beforeAll(async () => {
    w = await openWorld(urls() ?? '');
    if (mail.available) smtp = smtpTransport(mail.servers);
  });
  afterAll(async () => { smtp?.close(); await w.ds.destroy(); });

  const imapOf = (box: TestMailbox) => imapOptions(mail.servers, box);

  const subjectsIn = (box: TestMailbox, folder: string) => subjectsOf(mail.servers, box, folder);

  const until = <T,>(what: string, get: () => Promise<T | undefined>, timeoutMs = 20_000) => waitFor(mail.servers, what, get, { timeoutMs });

  it('a stranger\'s unsigned mail: Quarantine, one email-quarantine alert for mmgw visible in the alerts API, no parked message', async () => {
    if (!mail.available) return;
    const gateway = mail.servers.createMailbox('gw');
    const stranger = mail.servers.createMailbox('who');
    await smtp.sendMail({ from: stranger.address, to: gateway.address, subject: 'who am I', text: 'hello' });
    await until('the mail in INBOX', async () => ((await subjectsIn(gateway, 'INBOX')).length === 1 ? true : undefined));

    const bus = new EmbeddedBus(w.ds, gatewayTopology(), { pollIntervalMs: 20 });
    const consumer = await startAlertConsumer(bus, w.ds, { clock: w.clock });
    await bus.start();
    const loop = new ImapIntake({
      imap: imapOf(gateway), cursor: storeCursor(w.ds),
      deps: { intake: intakePortFor(w.intake), contacts: contactDirectoryFor(w.ds), unsigned: { recordUnsigned: () => Promise.reject(new Error('no unsigned mail from a contact expected')) } },
      onHandled: quarantineAlerter({ dataSource: w.ds, clock: w.clock, log: () => undefined }),
      backoff: { initialMs: 50, maxMs: 200 },
    });
    loop.start();
    try {
      await until('INBOX drained', async () => ((await subjectsIn(gateway, 'INBOX')).length === 0 ? true : undefined));
      const rows = await until('the alert row', async () => { const r = await w.ds.manager.findBy(AlertEntity, { topic: 'email.quarantined' }); return r.length > 0 ? r : undefined; });
      expect(rows.map((r) => [r.recipient, r.kind])).toEqual([['mmgw', 'email-quarantine']]);
      expect(await bus.parkedCount('alerts')).toBe(0);
    } finally {
      await loop.stop();
      await consumer.cancel();
      await bus.close({ drainTimeoutMs: 5000 });
    }
    expect(await subjectsIn(gateway, 'Quarantine')).toEqual(['who am I']);

    const listed = await coreAlerts({ dataSource: w.ds, clock: w.clock }).list({ recipient: 'mmgw' });
    expect(listed.items).toHaveLength(1);
    const [alert] = listed.items;
    expect(alert).toMatchObject({ kind: 'email-quarantine', topic: 'email.quarantined', subject: 'mail:INBOX:1', taskNumber: null, acknowledgedAt: null });
    expect(alert!.details).toMatchObject({ mailbox: 'INBOX', uid: 1, from: stranger.address, subject: 'who am I', recipients: ['mmgw'] });
    expect(alert!.text).toContain('Quarantine');
    expect(alert!.text).toContain(stranger.address);
    // Nobody else is told: the other institutions' alert lists stay empty.
    expect((await coreAlerts({ dataSource: w.ds, clock: w.clock }).list({ recipient: 'cncert' })).items).toEqual([]);
  });
});
