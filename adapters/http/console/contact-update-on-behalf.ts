import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { encode } from '../../../contracts/codec';
import type { MessageDocument } from '../../../contracts/codec/message-document';
import { CONTRACT_VERSION } from '../../../contracts/envelope';
import { toGatewayError, validate } from '../../../contracts/validation';
import { beijingWallClock } from '../../../gateway/calendar';
import type { Clock } from '../../../gateway/clock';
import { applyContactUpdate, DEFAULT_CONTACT_OPTIONS, validateContactUpdate, type ContactOptions } from '../../../gateway/contacts';
import type { GatewayIdentity } from '../../../gateway/identity';
import { signedReceipt } from '../../../gateway/intake';
import { acceptWriter } from '../../../gateway/intake/write-accepts';
import type { CoreHooks } from '../../../gateway/obligations';
import { checkRoutingFromStore } from '../../../gateway/registry';
import { signDocument } from '../../../gateway/signing/documents';
import { transaction } from '../../../gateway/store';

/** What recording a console contact change needs. */
export interface OnBehalfDeps {
  readonly dataSource: DataSource;
  readonly clock: Clock;
  readonly identity: GatewayIdentity;
  readonly hooks: CoreHooks;
  readonly contacts?: ContactOptions;
}

/** What the console recorded. */
export interface RecordedContactUpdate {
  /** The ContactUpdate message, routed to miit with cncert in copy. */
  readonly messageId: string;
  /** The history row of the registry. */
  readonly changeId: number;
  /** Reported after 3 working days from the effective date (Art. 17): `contact-change` met late. */
  readonly late: boolean;
  readonly dueAt: Date;
}

/** An instant as `YYYY-MM-DDTHH:MM:SS+08:00` (Beijing time), as the forms write times. */
export function beijingIso(d: Date): string {
  return `${beijingWallClock(d).slice(0, 19)}+08:00`;
}

/**
 * A contact change typed in the console by an administrator of `institution` (issue 8, item 1:
 * "either way it is routed to miit with cncert in copy and the contact-change obligation is met
 * or recorded late"). The gateway records it ON THE INSTITUTION'S BEHALF: it builds the
 * ContactUpdate (from the institution, to miit, cc cncert, reported now), checks it like intake
 * does (the form, the future bound of the effective date, the routing table), signs it with its
 * own credential (`mmgw` — it holds no institution's key; the audit entry says who typed it),
 * and in ONE transaction writes what intake's accept writes (message, Receipt, obligations hook
 * — `contact-change` met or met late —, the outbox row that routes it, the `accept` audit entry)
 * plus the registry change (gateway/contacts applyContactUpdate, its history row and audit entry).
 * Any refusal throws the GatewayError of the first rule broken (every error in `facts.errors`)
 * and changes nothing.
 */
export async function recordContactUpdateOnBehalf(deps: OnBehalfDeps, input: { readonly institution: string; readonly user: string; readonly body: Record<string, unknown> }): Promise<RecordedContactUpdate> {
  const now = deps.clock.now();
  const body = { ...input.body, reportedAt: beijingIso(now) };
  validateContactUpdate(body, now, deps.contacts?.maxFutureDays ?? DEFAULT_CONTACT_OPTIONS.maxFutureDays);
  const day = beijingIso(now).slice(0, 10).replace(/-/g, '');
  const id = `${input.institution}-${day}-console-${randomBytes(4).toString('hex')}`;
  const to = ['miit'];
  const cc = ['cncert'];
  const checked = validate({ id, type: 'ContactUpdate', version: CONTRACT_VERSION, from: input.institution, to, cc, sentAt: beijingIso(now), body } as unknown as MessageDocument);
  if (checked.errors.length > 0) throw toGatewayError(checked.errors);
  const routing = await checkRoutingFromStore(deps.dataSource.manager, { type: 'ContactUpdate', from: input.institution, to, cc, body: checked.value.body });
  if (routing.errors.length > 0) throw routing.errors[0]!;
  const bytes = Buffer.from(await signDocument(encode(checked.value, 'json'), deps.identity.credential));
  const hash = createHash('sha256').update(bytes).digest('hex');
  const receipt = await signedReceipt({ messageId: id, sender: input.institution, sha256: hash, acceptedAt: now, recipients: [...to, ...cc] }, 'json', deps.identity);
  const actor = `${input.institution}/${input.user}`.slice(0, 64);
  const write = acceptWriter(deps.hooks);
  return transaction(deps.dataSource, async (m) => {
    const applied = await applyContactUpdate(m, { institution: input.institution, body, messageId: id, changedBy: { institution: input.institution, user: input.user }, reportedAt: now }, now, deps.contacts);
    await write(m, [{
      now,
      message: { id, type: 'ContactUpdate', version: CONTRACT_VERSION, fromCode: input.institution, toCodes: to, ccCodes: cc, sentAt: now, taskNumber: null, inReplyTo: null, format: 'json', bytes, hash, size: bytes.length, acceptedAt: now },
      receipt: { id: receipt.id, kind: 'receipt', messageId: id, issuerCode: deps.identity.code, bytes: receipt.signed.bytes, hash: createHash('sha256').update(receipt.signed.bytes).digest('hex'), subjectHash: hash, createdAt: now },
      accepted: { id, type: 'ContactUpdate', from: input.institution, to, cc, sentAt: now, taskNumber: null, inReplyTo: null, body: checked.value.body, receivedAt: now },
      outbox: { topic: 'message.accepted.ContactUpdate', messageId: `accepted:${id}`, payload: Buffer.from(JSON.stringify({ messageId: id })) },
      audit: { kind: 'accept', actor, subject: id, details: { type: 'ContactUpdate', hash, size: bytes.length, format: 'json', to, cc, receiptId: receipt.id, enteredIn: 'console', signedBy: deps.identity.code, onBehalfOf: input.institution } },
    }]);
    return { messageId: id, changeId: applied.change.id, late: applied.late, dueAt: applied.change.dueAt };
  });
}
