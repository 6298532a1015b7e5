import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { simpleParser } from 'mailparser';
import type { DataSource } from 'typeorm';
import { appendAudit } from '../../gateway/audit/append';
import { GATEWAY_CODE } from '../../gateway/identity';
import { claimOnce, transaction } from '../../gateway/store';
import { bounceDelivery, type BounceOutcome } from '../../gateway/deliveries/fall-back';
import type { DeliveryContext } from '../../gateway/deliveries/options';
import type { Credential } from '../../gateway/signing/credential';
import type { MailReport } from './process-mail';

/**
 * Delivery status notifications (RFC 3464 `multipart/report; report-type=delivery-status`) for
 * the gateway's delivery mail, and the tag that matches one to its delivery.
 *
 * Every delivery mail carries a tag `dlv-NNNNNNNN.<MAC>` in its Message-ID and as the SMTP envelope id
 * (ENVID, which a DSN returns as Original-Envelope-Id). The MAC is an HMAC-SHA-256 of the
 * delivery id under a key derived from the gateway's private key: a bounce is acted on only
 * when it names a tag the gateway made, so a forged DSN cannot fail someone else's delivery.
 * The intake's replies (Receipt / Rejection mail) carry a tag `rpl-<16 hex>.<MAC>` the same way,
 * so a bounce of a reply is recognised as the gateway's own too.
 */

const TAG = /(dlv-\d{8,18})\.([0-9a-f]{24})(?![0-9a-f])/g;
const REPLY_TAG = /(rpl-[0-9a-f]{16})\.([0-9a-f]{24})(?![0-9a-f])/g;

/** The dedupe consumer under which each reply bounce (reply, recipient) is recorded once. */
export const REPLY_BOUNCE_CONSUMER = 'email-reply-bounce';

/** The key the delivery tags are made with: derived from the gateway's private key (never stored). */
export function correlationKey(credential: Credential): Buffer {
  return createHash('sha256').update('mmgw e-mail delivery tag\0').update(credential.privateKey.export({ format: 'der', type: 'pkcs8' })).digest();
}

function mac(key: Buffer, deliveryId: string): string {
  return createHmac('sha256', key).update(deliveryId).digest('hex').slice(0, 24);
}

/** The tag of a delivery: its id, a dot and a MAC only the gateway can make. */
export function deliveryTag(key: Buffer, deliveryId: string): string {
  return `${deliveryId}.${mac(key, deliveryId)}`;
}

/** A fresh id for one reply mail (`rpl-` and 16 hex digits). */
export function newReplyId(): string {
  return `rpl-${randomBytes(8).toString('hex')}`;
}

/** Every delivery id in `text` whose tag verifies under `key` (and how many tags did not). */
export function verifiedDeliveryIds(key: Buffer, text: string): { ids: string[]; forged: number } {
  return verifiedTags(key, text, TAG);
}

/** Every reply id in `text` whose tag (`rpl-….<MAC>`, made by deliveryTag) verifies under `key` (and how many tags did not). */
export function verifiedReplyIds(key: Buffer, text: string): { ids: string[]; forged: number } {
  return verifiedTags(key, text, REPLY_TAG);
}

function verifiedTags(key: Buffer, text: string, pattern: RegExp): { ids: string[]; forged: number } {
  const ids = new Set<string>();
  let forged = 0;
  for (const m of text.matchAll(pattern)) {
    const expected = Buffer.from(mac(key, m[1]!));
    if (timingSafeEqual(expected, Buffer.from(m[2]!))) ids.add(m[1]!);
    else forged++;
  }
  return { ids: [...ids], forged };
}

/** One recipient's block of a DSN. */
export interface DsnRecipient {
  readonly finalRecipient?: string;
  /** failed, delayed, delivered, relayed or expanded (lower case). */
  readonly action: string;
  readonly status?: string;
  readonly diagnostic?: string;
}

/** What a delivery status notification says. */
export interface DeliveryReport {
  readonly originalEnvelopeId?: string;
  readonly recipients: readonly DsnRecipient[];
  /** The returned header block (or message) of the original mail, as text. */
  readonly returnedHeaders: string;
  readonly subject?: string;
}

/** The header block of a raw mail, unfolded, as text (for a cheap look before parsing). */
function headerBlock(raw: Buffer): string {
  const head = raw.subarray(0, Math.min(raw.length, 64 * 1024)).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  return (end < 0 ? head : head.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
}

/** True when the mail is a delivery status notification (top-level multipart/report; report-type=delivery-status). */
export function isDeliveryReport(raw: Buffer): boolean {
  const ct = /^content-type:(.*)$/im.exec(headerBlock(raw))?.[1] ?? '';
  return /^\s*multipart\/report\s*;/i.test(ct) && /report-type\s*=\s*"?delivery-status"?/i.test(ct);
}

/** RFC 3464 fields, blocks separated by blank lines, continuation lines unfolded; names lower case. */
function fieldBlocks(text: string): Map<string, string>[] {
  return text.replace(/\r\n/g, '\n').replace(/\n[ \t]+/g, ' ').split(/\n\s*\n/).map((block) => {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) {
      const m = /^([A-Za-z0-9-]+)\s*:\s*(.*)$/.exec(line);
      if (m && !fields.has(m[1]!.toLowerCase())) fields.set(m[1]!.toLowerCase(), m[2]!.trim());
    }
    return fields;
  }).filter((f) => f.size > 0);
}

/** The value after `type;` of a typed DSN field (`rfc822; a@b` → `a@b`). */
function typed(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const i = value.indexOf(';');
  return (i < 0 ? value : value.slice(i + 1)).trim();
}

/** Reads a DSN; undefined when the mail is not one. */
export async function readDeliveryReport(raw: Buffer): Promise<DeliveryReport | undefined> {
  if (!isDeliveryReport(raw)) return undefined;
  const parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true });
  const part = (...types: string[]) => parsed.attachments.find((a) => types.includes(a.contentType.toLowerCase()))?.content.toString('utf8');
  // message/delivery-status is required by RFC 3464; a reader that does not present it as a part still finds its fields in the raw text.
  const status = part('message/delivery-status', 'message/global-delivery-status') ?? raw.toString('utf8');
  const blocks = fieldBlocks(status);
  const perMessage = blocks.find((b) => b.has('reporting-mta') || b.has('original-envelope-id'));
  const recipients = blocks.filter((b) => b.has('action')).map((b): DsnRecipient => ({
    action: b.get('action')!.toLowerCase(),
    ...(typed(b.get('final-recipient')) ? { finalRecipient: typed(b.get('final-recipient'))! } : {}),
    ...(b.get('status') ? { status: b.get('status')! } : {}),
    ...(typed(b.get('diagnostic-code')) ? { diagnostic: typed(b.get('diagnostic-code'))! } : {}),
  }));
  const returnedHeaders = part('text/rfc822-headers', 'message/rfc822', 'message/global-headers', 'message/global') ?? '';
  const envid = perMessage?.get('original-envelope-id');
  return {
    ...(envid ? { originalEnvelopeId: envid } : {}),
    recipients,
    returnedHeaders,
    ...(parsed.subject ? { subject: parsed.subject } : {}),
  };
}

/** What the gateway did with one delivery report. */
export interface HandledReport {
  readonly report: DeliveryReport;
  /** One per delivery the report names with a valid tag, when it reports a failure. */
  readonly bounces: readonly BounceOutcome[];
  /** The gateway replies (Receipt / Rejection mail) the report names with a valid tag. */
  readonly replies: readonly string[];
  /** True when the report names no delivery or reply of this gateway (or only forged tags). */
  readonly unmatched: boolean;
}

/** Settings of `deliveryReportHandler`. */
export interface DeliveryReportOptions {
  readonly dataSource: DataSource;
  readonly delivery: DeliveryContext;
  /** The gateway's credential: the tag key is derived from it. */
  readonly credential: Credential;
  /** Told about every report handled. */
  readonly onReport?: (handled: HandledReport) => void;
}

/**
 * Records a failed reply in one transaction: an audit entry `email-reply-bounce` (alert: true)
 * naming the reply, the mail it answered (its In-Reply-To), the subject and each failed
 * recipient, claimed once per reply and recipient so a report handled again records nothing new.
 */
async function recordReplyBounce(dataSource: DataSource, replyId: string, report: DeliveryReport, failed: readonly DsnRecipient[], now: Date): Promise<void> {
  // The reply's own headers as returned (RFC 2047 words decoded).
  const returned = await simpleParser(`${report.returnedHeaders.trimEnd()}\r\n\r\n`, { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true });
  const inReplyTo = returned.inReplyTo;
  const subject = returned.subject;
  await transaction(dataSource, async (m) => {
    const key = createHash('sha256').update(`${replyId}\0${failed.map((r) => r.finalRecipient ?? '?').sort().join(',')}`).digest('hex');
    if (!(await claimOnce(m, REPLY_BOUNCE_CONSUMER, key, now))) return;
    await appendAudit(m, {
      kind: 'email-reply-bounce', actor: GATEWAY_CODE, subject: (inReplyTo ? `mail:${inReplyTo}` : `reply:${replyId}`).slice(0, 191),
      details: {
        replyId, inReplyTo: inReplyTo ?? null, subject: (subject ?? '').slice(0, 200), alert: true,
        recipients: failed.map((r) => ({ address: r.finalRecipient ?? null, status: r.status ?? null, diagnostic: (r.diagnostic ?? '').slice(0, 300) })),
      },
    }, now);
  });
}

/**
 * The intake's hook for delivery status notifications (ProcessMailDeps.deliveryReports): a DSN
 * whose tag verifies and whose Action is `failed` makes its delivery fall back (bounceDelivery,
 * code `delivery.email-bounced`) and goes to Processed; a DSN of a gateway REPLY (Receipt or
 * Rejection mail, tagged `rpl-…` by mailReplier) whose tag verifies is recorded when it reports a
 * failure (audit `email-reply-bounce`, once) and goes to Processed; a DSN that only reports a
 * delay or a success changes nothing and goes to Processed; a DSN naming no delivery or reply
 * of this gateway (untagged, or forged tags) goes to Quarantine (`email.unmatched-report`). No
 * DSN is ever answered (no mail loops). Any other mail: undefined, processed as usual.
 */
export function deliveryReportHandler(options: DeliveryReportOptions): (raw: Buffer) => Promise<MailReport | undefined> {
  const key = correlationKey(options.credential);
  return async (raw) => {
    const report = await readDeliveryReport(raw);
    if (report === undefined) return undefined;
    const tagged = `${report.originalEnvelopeId ?? ''}\n${report.returnedHeaders}`;
    const { ids } = verifiedDeliveryIds(key, tagged);
    const replies = verifiedReplyIds(key, tagged).ids;
    const failed = report.recipients.filter((r) => r.action === 'failed');
    const detail = failed.map((r) => `${r.finalRecipient ?? '?'}: ${r.status ?? ''} ${r.diagnostic ?? ''}`.trim()).join('; ') || 'the mail server reported the mail undeliverable';
    const bounces: BounceOutcome[] = [];
    if (failed.length > 0) for (const id of ids) bounces.push(await bounceDelivery(options.dataSource, id, detail, options.delivery));
    if (failed.length > 0) for (const id of replies) await recordReplyBounce(options.dataSource, id, report, failed, options.delivery.clock.now());
    const unmatched = ids.length === 0 && replies.length === 0;
    options.onReport?.({ report, bounces, replies, unmatched });
    const summary = failed.length > 0 ? `bounce${replies.length > 0 && ids.length === 0 ? ' of a reply' : ''}: ${detail}` : `delivery report: ${report.recipients.map((r) => r.action).join(', ') || 'no recipient'}`;
    return {
      folder: unmatched ? 'quarantine' : 'processed',
      classification: { kind: 'delivery-report', deliveryIds: ids, ...(replies.length > 0 ? { replyIds: replies } : {}), failed: failed.length > 0, ...(unmatched ? { code: 'email.unmatched-report' } : {}), reason: summary },
      ...(report.subject ? { subject: report.subject } : {}),
      outcomes: [],
    };
  };
}
