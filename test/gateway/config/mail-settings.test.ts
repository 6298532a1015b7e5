import { GatewayError } from '../../../contracts/errors/gateway-error';
import { parseImapUrl, parseSmtpUrl, readGatewayConfig, settingsTable } from '../../../gateway/config';

function problemsOf(env: NodeJS.ProcessEnv): { variable: string; message: string }[] {
  try {
    readGatewayConfig(env, '/srv/mmgw');
  } catch (e) {
    expect(e).toBeInstanceOf(GatewayError);
    return (e as GatewayError).facts.problems as { variable: string; message: string }[];
  }
  throw new Error('expected config.invalid');
}

describe('the e-mail channel settings', () => {
  it('are off with an empty environment (the share has its default)', () => {
    expect(readGatewayConfig({}, '/srv/mmgw').email).toBeUndefined();
  });

  it('reads IMAP and SMTP URLs with their default ports, percent-encoded users and the mailbox', () => {
    expect(parseImapUrl('imaps://gw%40example.cn:p%40ss@imap.example.cn/Gateway%20In')).toEqual({ host: 'imap.example.cn', port: 993, secure: true, user: 'gw@example.cn', pass: 'p@ss', mailbox: 'Gateway In' });
    expect(parseImapUrl('imap://gw:pw@127.0.0.1:1143')).toEqual({ host: '127.0.0.1', port: 1143, secure: false, user: 'gw', pass: 'pw', mailbox: 'INBOX' });
    expect(parseSmtpUrl('smtp://127.0.0.1:2525')).toEqual({ host: '127.0.0.1', port: 2525, secure: false });
    expect(parseSmtpUrl('smtps://u:p@smtp.example.cn')).toEqual({ host: 'smtp.example.cn', port: 465, secure: true, user: 'u', pass: 'p' });
  });

  it('configures the channel, the From address defaulting to the IMAP user when it is an address', () => {
    const c = readGatewayConfig({ MMGW_IMAP_URL: 'imap://gw%40gw.example:pw@127.0.0.1:1143/INBOX', MMGW_SMTP_URL: 'smtp://127.0.0.1:2525', MMGW_DEADLINE_FALLBACK_SHARE: '40' }, '/srv/mmgw');
    expect(c.email).toEqual({ smtp: { host: '127.0.0.1', port: 2525, secure: false }, imap: { host: '127.0.0.1', port: 1143, secure: false, user: 'gw@gw.example', pass: 'pw', mailbox: 'INBOX' }, from: 'gw@gw.example', deadlineSharePercent: 40 });
    expect(readGatewayConfig({ MMGW_SMTP_URL: 'smtp://127.0.0.1:2525', MMGW_MAIL_FROM: 'mmgw@gw.example' }, '/srv/mmgw').email).toEqual({ smtp: { host: '127.0.0.1', port: 2525, secure: false }, from: 'mmgw@gw.example', deadlineSharePercent: 25 });
  });

  it('names every problem, and never echoes a password', () => {
    const problems = problemsOf({ MMGW_IMAP_URL: 'http://gw:s3cret@h/INBOX', MMGW_SMTP_URL: 'smtp://u@h', MMGW_MAIL_FROM: 'not an address', MMGW_DEADLINE_FALLBACK_SHARE: '100' });
    expect(problems.map((p) => p.variable).sort()).toEqual(['MMGW_DEADLINE_FALLBACK_SHARE', 'MMGW_IMAP_URL', 'MMGW_MAIL_FROM', 'MMGW_SMTP_URL']);
    expect(JSON.stringify(problems)).not.toContain('s3cret');
    expect(problems.find((p) => p.variable === 'MMGW_IMAP_URL')?.message).toMatch(/must start with imap:\/\/ or imaps:\/\//);
    expect(problems.find((p) => p.variable === 'MMGW_DEADLINE_FALLBACK_SHARE')?.message).toMatch(/whole percentage from 1 to 99/);
  });

  it('needs SMTP with IMAP (every mail is answered) and a From address with SMTP', () => {
    expect(problemsOf({ MMGW_IMAP_URL: 'imap://gw%40x.example:pw@h' })).toEqual([expect.objectContaining({ variable: 'MMGW_SMTP_URL', message: expect.stringContaining('must be set together with MMGW_IMAP_URL') })]);
    expect(problemsOf({ MMGW_SMTP_URL: 'smtp://h', MMGW_IMAP_URL: 'imap://gw:pw@h' })).toEqual([expect.objectContaining({ variable: 'MMGW_MAIL_FROM' })]);
    expect(problemsOf({ MMGW_IMAP_URL: 'imap://gw@h' })[0]?.message).toMatch(/user and password/);
  });

  it('are in the settings table the README shows', () => {
    for (const v of ['MMGW_IMAP_URL', 'MMGW_SMTP_URL', 'MMGW_MAIL_FROM', 'MMGW_DEADLINE_FALLBACK_SHARE']) expect(settingsTable()).toContain(`| \`${v}\` |`);
  });
});
