import { ImapFlow } from 'imapflow';
import { createTransport } from 'nodemailer';
import { useMailServers } from '../../support/mail-servers';

/** The private Postfix → Dovecot (LMTP) → IMAP chain the e-mail channel's integration tests stand on. */
describe('private mail servers (Postfix → LMTP → Dovecot → IMAP)', () => {
  const mail = useMailServers(__filename);

  it('delivers a mail sent over SMTP to the mailbox, fetched over IMAP within two seconds', async () => {
    if (!mail.available) return;
    const s = mail.servers;
    const box = s.createMailbox();
    const subject = `smoke ${Math.random().toString(36).slice(2)}`;
    const started = process.hrtime.bigint();
    const transport = createTransport({ host: s.host, port: s.smtpPort, secure: false, ignoreTLS: true });
    await transport.sendMail({ from: 'sender@example.org', to: box.address, subject, text: '你好, hello' });
    transport.close();

    const client = new ImapFlow({ host: s.host, port: s.imapPort, secure: false, auth: { user: box.user, pass: box.password }, logger: false });
    await client.connect();
    try {
      let found: { subject?: string; text: string } | undefined;
      for (let i = 0; i < 100 && !found; i++) {
        const lock = await client.getMailboxLock('INBOX');
        try {
          for await (const m of client.fetch('1:*', { envelope: true, source: true })) {
            if (m.envelope?.subject === subject) found = { subject: m.envelope.subject, text: m.source?.toString('utf8') ?? '' };
          }
        } finally { lock.release(); }
        if (!found) await new Promise((r) => setTimeout(r, 50));
      }
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (!found) throw new Error(`mail not delivered:\n${s.logs()}`);
      expect(found.subject).toBe(subject);
      expect(found.text).toContain(`To: ${box.address}`);
      expect(ms).toBeLessThan(2000);
    } finally {
      await client.logout();
    }
  });

  it('refuses a wrong password (authentication really checks the passwd-file)', async () => {
    if (!mail.available) return;
    const s = mail.servers;
    const box = s.createMailbox();
    const client = new ImapFlow({ host: s.host, port: s.imapPort, secure: false, auth: { user: box.user, pass: 'wrong' }, logger: false });
    await expect(client.connect()).rejects.toThrow();
  });
});
