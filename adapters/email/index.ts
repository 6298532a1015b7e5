/** The e-mail channel (issue 7): parsing difficult mails into signed forms, the IMAP intake loop, reply text. */
export { parseMail, isRefused, DEFAULT_PARSE_MAIL_OPTIONS, type ParsedMail, type RefusedMail, type ParseMailOptions, type FoundForm, type FoundAttachment, type MailProblem, type MailAddress, type PartSource } from './parse-mail';
export { classifyMail, type ContactDirectory, type MailClass } from './classify-mail';
export { processMail, oversizedReport, type MailReport, type ProcessMailDeps } from './process-mail';
export { ImapIntake, backoffDelay, type ImapIntakeOptions } from './imap-intake';
export { memoryCursorStore, type IntakePort, type IntakeOutcome, type UnsignedMailPort, type UnsignedMailContext, type UidCursor, type UidCursorStore, type MailFolder } from './ports';
export { replyFor, receiptReply, rejectionReply, emergencyNoticeReply, unsignedSpreadsheetReply, beijingTime, type ReplyText, type ReplyContext } from './reply-text';
export { intakePortFor } from './intake-port';
export { storeCursor } from './store-cursor';
export type { SignedDocument } from './ports';
export { contactDirectoryFor, type MailContactDirectory } from './contact-directory';
export { mailReplier, replyAttachments, type MailReplierOptions, type ReplyAttachment } from './mail-replier';
export { unsignedMailPortFor, EMAIL_RECORDER, HOW_TO_SIGN_SPREADSHEET } from './unsigned-port';
export { quarantineAlerter, handledBy, QUARANTINE_TOPIC, QUARANTINE_CONSUMER, type QuarantineAlert, type QuarantineAlertOptions } from './quarantine-alert';
export { nodemailerMailer, deliverySummary, type NodemailerMailerOptions } from './nodemailer-mailer';
export { buildSignedMail, signDetached, type SignedMailParts } from './smime';
export { emailChannel, type EmailChannel } from './channel';
export { deliveryReportHandler, readDeliveryReport, isDeliveryReport, correlationKey, deliveryTag, verifiedDeliveryIds, verifiedReplyIds, newReplyId, REPLY_BOUNCE_CONSUMER, type DeliveryReport, type DsnRecipient, type HandledReport, type DeliveryReportOptions } from './dsn';
