import { QUARANTINE_TOPIC, type QuarantineAlert } from '../../../adapters/email';
import { PermanentError } from '../../../gateway/bus/permanent-error';
import { alertSpecOf } from '../../../gateway/obligations/alerts';

/** The alerts consumer's reading of the quarantine alerter's payload (issue 7 item 2), without servers; the dovecot test runs it end to end. */
describe('the email.quarantined alert as the alerts consumer reads it', () => {
  const payload: QuarantineAlert = {
    mailbox: 'INBOX', uid: 42, code: 'email.unintelligible', reason: 'no form and not from a contact', messageId: '<x@who.example>', from: 'who@who.example', subject: '你好',
    problems: [], recipients: ['mmgw'], text: '邮件已隔离：…\nMail quarantined: …',
  };
  const message = (p: unknown) => ({ id: `${QUARANTINE_TOPIC}:INBOX:42:<x@who.example>`, topic: QUARANTINE_TOPIC, payload: Buffer.from(JSON.stringify(p)) });

  it('is an email-quarantine alert for the recipients the alerter names, with the alerter\'s text', () => {
    const spec = alertSpecOf(message(payload));
    expect([spec.kind, spec.recipients, spec.subject, spec.taskNumber, spec.text]).toEqual(['email-quarantine', ['mmgw'], 'mail:INBOX:42', null, payload.text]);
  });

  it('without a text, says in Chinese then English who sent what and why', () => {
    const { text: _text, ...rest } = payload;
    const spec = alertSpecOf(message(rest));
    expect(spec.text).toMatch(/^邮件已隔离：INBOX 中 UID 42 的邮件（发件人 who@who\.example，主题「你好」）.*（email\.unintelligible）。\nMail quarantined: mail UID 42 of INBOX \(from who@who\.example, subject "你好"\).*\(email\.unintelligible\)\.$/);
  });

  it('without mailbox, uid or recipients it is parked as alert.bad-payload, not dropped', () => {
    for (const bad of [{ ...payload, uid: 'x' }, { ...payload, mailbox: '' }, { ...payload, recipients: [] }]) {
      expect(() => alertSpecOf(message(bad))).toThrow(PermanentError);
      expect(() => alertSpecOf(message(bad))).toThrow(/mailbox, uid and recipients are required/);
    }
  });
});
