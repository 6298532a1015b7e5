import { createHash } from 'node:crypto';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { decode, sniffFormat, type DocumentFormat } from '../../contracts/codec/decode';
import { DEFAULT_DECODE_LIMITS } from '../../contracts/codec/limits';
import type { MessageDocument } from '../../contracts/codec/message-document';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { codeInfo, type ErrorCode } from '../../contracts/errors/registry';
import { validate } from '../../contracts/validation/validate';
import { appendAudit } from '../audit/append';
import { noHooks, type CoreHooks } from '../obligations/hooks';
import { Registry } from '../registry/registry';
import { checkRoutingFromStore } from '../registry/routing-facts';
import { verifyDocument } from '../signing/documents';
import { MessageEntity } from '../store/entities/message';
import { ReceiptEntity } from '../store/entities/receipt';
import { transaction } from '../store/transaction';
import { isDuplicateKey } from '../store/dedupe';
import { isSqlite } from '../store/dialect';
import { AcceptBatcher } from './accept-batcher';
import { CoalescingLookup } from './coalescing-lookup';
import { acceptWriter, type AcceptRows } from './write-accepts';
import { signedReceipt, signedRejection, mediaTypeOf } from './gateway-documents';
import type { IntakeOptions, IntakeOutcome, IntakeSubmission, RuleError } from './options';
import { fromContract, fromGatewayError, fromSignature, intakeError } from './rule-errors';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** What is stored of an accepted message id, to answer a repeat. */
interface Stored {
  readonly hash: string;
  readonly fromCode: string;
}

/**
 * The intake use case (issue 4, item 2), the one every adapter (HTTPS, e-mail, CLI) reaches:
 * size check → decode → validate against the contract → verify the signature (chain, validity
 * at sentAt, revocation, key usage, signer = `from`) → the signer must be the authenticated
 * caller → authorise from the routing table and the registry → dedupe → ONE transaction (shared
 * with the accepts arriving meanwhile: group commit, see AcceptBatcher) (the
 * `messages` row with the exact bytes, its `receipts` row, the sample reporters, the obligations
 * hook, the outbox row `message.accepted.<Form>`, the audit entry `accept`) → the gateway's
 * signed Receipt in the submission's format. A refusal is a signed Rejection listing every
 * reason, recorded as one audit entry `reject` and nothing else. A repeat of accepted bytes
 * answers the ORIGINAL Receipt and writes nothing; the same id with other bytes is refused.
 */
export class Intake {
  private readonly registry: Registry;
  private readonly hooks: CoreHooks;
  private readonly maxBytes: number;
  private readonly batcher: AcceptBatcher<AcceptRows>;
  /** The repeat check of the submissions in flight: one SELECT per event-loop turn, not one per message. */
  private readonly storedLookup: CoalescingLookup<Stored>;

  constructor(private readonly dataSource: DataSource, private readonly options: IntakeOptions) {
    this.registry = options.registry ?? new Registry(dataSource, { clock: options.clock });
    this.hooks = { ...noHooks, ...options.hooks };
    this.maxBytes = options.maxBytes ?? DEFAULT_DECODE_LIMITS.maxBytes;
    this.batcher = new AcceptBatcher(dataSource, acceptWriter(this.hooks), options.maxBatch, isSqlite(dataSource) ? 1 : (options.maxParallel ?? 1));
    this.storedLookup = new CoalescingLookup(async (ids) => {
      const rows = await this.dataSource.manager.find(MessageEntity, { select: { id: true, hash: true, fromCode: true }, where: { id: In([...ids]) } });
      return new Map(rows.map((r) => [r.id, { hash: r.hash, fromCode: r.fromCode }] as const));
    });
  }

  /** Accepts or refuses one submitted document; throws only when a service (the database) fails. */
  async submit(submission: IntakeSubmission): Promise<IntakeOutcome> {
    const { bytes, caller } = submission;
    const hash = sha256(bytes);
    const refuse = (errors: RuleError[], format: DocumentFormat | undefined, doc?: MessageDocument) => this.reject(bytes, hash, errors, format, caller, doc);

    if (bytes.length > this.maxBytes) {
      const head = bytes.subarray(0, 64).toString('utf8');
      return refuse([intakeError('intake.too-large', `the document is ${bytes.length} bytes; the gateway accepts at most ${this.maxBytes}`)], sniffFormat(head));
    }
    const decoded = decode(bytes, { limits: { maxBytes: this.maxBytes } });
    if (decoded.document === undefined) return refuse(decoded.errors.map(fromContract), decoded.format);
    const checked = validate(decoded.document);
    const doc = checked.value;
    const format = decoded.format ?? 'json';
    const errors: RuleError[] = [...decoded.errors, ...checked.errors].map(fromContract);
    const id = str(doc.id) ?? '';

    // A repeat of bytes already accepted (checked before the costly verification): the original Receipt.
    const stored = id === '' ? undefined : await this.stored(id);
    if (stored !== undefined && stored.hash === hash && (caller === undefined || caller === stored.fromCode)) return this.original(id);

    const verified = await verifyDocument(bytes, { trust: this.options.trust });
    if (!verified.ok) errors.push(fromSignature(verified));
    else {
      if (caller !== undefined && verified.institution !== caller) {
        errors.push(intakeError('intake.signer-not-caller', `the document is signed by ${verified.institution}, but the authenticated caller is ${caller}`, 'from'));
      }
      const withdrawn = await this.registry.withdrawn(createHash('sha256').update(verified.certificate.raw).digest('hex'));
      if (withdrawn?.revokedAt) {
        errors.push(intakeError('intake.certificate-withdrawn', `the signing certificate of ${verified.institution} was withdrawn from the registry on ${withdrawn.revokedAt.toISOString()}`, 'signature'));
      }
    }
    if (errors.length > 0) return refuse(errors, format, doc);

    const from = String(doc.from);
    const to = strings(doc.to);
    const cc = strings(doc.cc);
    if ((await this.registry.missing([from])).length > 0) errors.push(intakeError('intake.unknown-sender', `${from} is not an institution of the registry`, 'from'));
    const missing = new Set(await this.registry.missing([...to, ...cc]));
    for (const [list, codes] of [['to', to], ['cc', cc]] as const) {
      codes.forEach((code, i) => {
        if (missing.has(code)) errors.push(intakeError('intake.unknown-recipient', `${code} is not an institution of the registry`, `${list}[${i}]`));
      });
    }
    const routing = await checkRoutingFromStore(this.dataSource.manager, { type: String(doc.type), from, to, cc, body: doc.body });
    errors.push(...routing.errors.map(fromGatewayError));
    if (stored !== undefined) errors.push(this.conflict(id, stored));
    if (errors.length > 0) return refuse(errors, format, doc);

    return this.accept(bytes, hash, format, doc, { id, from, to, cc }, caller);
  }

  private async accept(bytes: Buffer, hash: string, format: DocumentFormat, doc: MessageDocument, env: { id: string; from: string; to: string[]; cc: string[] }, caller: string | undefined): Promise<IntakeOutcome> {
    const now = this.options.clock.now();
    const recipients = [...new Set([...env.to, ...env.cc])];
    const receipt = await signedReceipt({ messageId: env.id, sender: env.from, sha256: hash, acceptedAt: now, recipients }, format, this.options.identity);
    const refs = (doc.references ?? {}) as Record<string, unknown>;
    const type = String(doc.type);
    const sentAt = new Date(String(doc.sentAt));
    const taskNumber = str(refs.taskNumber) ?? null;
    const inReplyTo = str(refs.inReplyTo) ?? null;
    try {
      await this.batcher.run({
        now,
        message: {
          id: env.id, type, version: String(doc.version), fromCode: env.from, toCodes: env.to, ccCodes: env.cc, sentAt,
          taskNumber, inReplyTo, format, bytes, hash, size: bytes.length, acceptedAt: now,
        },
        receipt: { id: receipt.id, kind: 'receipt', messageId: env.id, issuerCode: this.options.identity.code, bytes: receipt.signed.bytes, hash: sha256(receipt.signed.bytes), subjectHash: hash, createdAt: now },
        accepted: { id: env.id, type, from: env.from, to: env.to, cc: env.cc, sentAt, taskNumber, inReplyTo, body: doc.body, receivedAt: now },
        outbox: { topic: `message.accepted.${type}`, messageId: `accepted:${env.id}`, payload: Buffer.from(JSON.stringify({ messageId: env.id })) },
        audit: { kind: 'accept', actor: env.from, subject: env.id, details: { type, hash, size: bytes.length, format, to: env.to, cc: env.cc, receiptId: receipt.id } },
      });
    } catch (e) {
      // A rule checked inside the accept transaction refused it (an obligations hook: a
      // DisposalFeedback for a task no notice opened, …): rolled back, so nothing was written;
      // answered like every other refusal, with a signed Rejection and a reject audit entry.
      if (e instanceof GatewayError && codeInfo(e.code).http < 500) return this.reject(bytes, hash, [fromGatewayError(e)], format, caller, doc);
      if (!isDuplicateKey(e)) throw e;
      // Another submission of this id committed first: answer as to a repeat.
      const stored = await this.stored(env.id);
      if (stored === undefined) throw e;
      if (stored.hash === hash && (caller === undefined || caller === stored.fromCode)) return this.original(env.id);
      return this.reject(bytes, hash, [this.conflict(env.id, stored)], format, caller, doc);
    }
    return { accepted: true, messageId: env.id, receipt: receipt.signed, duplicate: false };
  }

  private conflict(id: string, stored: Stored): RuleError {
    return intakeError('intake.id-conflict', `message ${id} was accepted already with other bytes (SHA-256 ${stored.hash}); use a new id for a new message`, 'id');
  }

  /** What is stored of message `id` (committed), read together with the other submissions in flight. */
  private stored(id: string): Promise<Stored | undefined> {
    return this.storedLookup.get(id);
  }

  /** The Receipt stored when `id` was accepted, byte for byte. */
  private async original(id: string): Promise<IntakeOutcome> {
    const row = await this.dataSource.manager.findOne(ReceiptEntity, { where: { messageId: id, kind: 'receipt' } });
    if (row === null) throw new Error(`message ${id} is stored without its receipt`);
    const format = sniffFormat(row.bytes.subarray(0, 64).toString('utf8')) ?? 'json';
    return { accepted: true, messageId: id, receipt: { bytes: Buffer.from(row.bytes), mediaType: mediaTypeOf(format) }, duplicate: true };
  }

  private async reject(bytes: Buffer, hash: string, errors: RuleError[], format: DocumentFormat | undefined, caller: string | undefined, doc?: MessageDocument): Promise<IntakeOutcome> {
    const now = this.options.clock.now();
    const messageId = str(doc?.id);
    const from = str(doc?.from);
    const to = caller ?? (from !== undefined && from !== this.options.identity.code && /^[a-z][a-z0-9-]{1,31}$/.test(from) ? from : undefined);
    const rejection = await signedRejection({ messageId, to, sha256: hash, rejectedAt: now, errors }, format ?? 'json', this.options.identity);
    await transaction(this.dataSource, (m: EntityManager) => appendAudit(m, {
      kind: 'reject', actor: (caller || from || 'unknown').slice(0, 64), subject: (messageId || `sha256:${hash}`).slice(0, 191),
      details: { hash, size: bytes.length, format: format ?? null, codes: errors.map((e) => e.code) },
    }, now));
    const first = errors[0]!.code as ErrorCode;
    return { accepted: false, rejection, errors, status: codeInfo(first).http, ...(messageId ? { messageId } : {}) };
  }
}
