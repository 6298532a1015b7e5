import { defineCodes } from './code-info';

/**
 * The e-mail channel (issue 7): why a mail is refused, quarantined or only partly read, and why
 * the IMAP intake could not proceed. A mail is never dropped silently: each outcome names one of
 * these codes in the folder it is moved to and in the reply or alert it causes.
 */
export const emailCodes = defineCodes('email', {
  'email.too-large': { description: 'The mail is larger than the configured maximum size for the e-mail channel; it is refused without being read.', http: 413, exit: 1 },
  'email.unreadable': { description: 'The bytes are not an RFC 822 mail (no header block could be read).', http: 400, exit: 1 },
  'email.truncated-part': { description: 'A MIME part of the mail ends before its closing boundary: the mail was cut; what could be read was kept.', http: 400, exit: 1 },
  'email.nested-too-deep': { description: 'Forwarded mails (message/rfc822) are nested deeper than the configured limit; the deeper ones were not opened.', http: 400, exit: 1 },
  'email.part-too-large': { description: 'An attachment that looks like a signed form is larger than the largest document the contracts read.', http: 413, exit: 1 },
  'email.no-content': { description: 'The mail carries neither a signed form, nor a spreadsheet, nor any text: nothing in it can be understood.', http: 400, exit: 1 },
  'email.unsigned-spreadsheet': { description: 'An unsigned .xlsx (level IV MonthlyDisposalFeedback) cannot be accepted: only a signed document is, and an unsigned e-mail stands in provisionally only for the level III-and-above forms of Art. 15. The reply says what the sheet holds and how to sign it.', http: 422, exit: 1 },
  'email.quarantined': { description: 'A mail the gateway could not make sense of (unknown sender, no content, unreadable) was moved to Quarantine; an operator is alerted.', http: 422, exit: 1 },
  'email.unknown-sender': { description: 'The mail carries no signed form and its sender address is not a registered contact of any institution.', http: 403, exit: 1 },
  'email.imap-failed': { description: 'The IMAP server could not be reached or refused a command; the intake retries with back-off.', http: 503, exit: 3 },
  'email.intake-failed': { description: 'The intake could not process the mail now (a service failed); the mail stays unprocessed and is retried.', http: 503, exit: 3 },
});
