import { createHash } from 'node:crypto';
import { encodeJson } from '../../../contracts/codec';
import type { MessageDocument } from '../../../contracts/codec';
import { MessageEntity, transaction } from '../../../gateway/store';
import type { AcceptedMessage } from '../../../gateway/obligations/hooks';
import type { Fixture } from '../obligations/support';

/** The document an AcceptedMessage stands for (as the sender signed it, minus the signature). */
export function documentOf(a: AcceptedMessage): MessageDocument {
  const references = { ...(a.taskNumber !== null && { taskNumber: a.taskNumber }), ...(a.inReplyTo !== null && { inReplyTo: a.inReplyTo }) };
  return {
    id: a.id, type: a.type, version: '1.0', from: a.from, to: [...a.to], ...(a.cc.length > 0 && { cc: [...a.cc] }), sentAt: a.sentAt.toISOString(),
    ...(Object.keys(references).length > 0 && { references }), body: a.body as Record<string, unknown>,
  };
}

/** Accepts as intake does, storing the document's real JSON bytes (so they decode again) and running the hooks, in one transaction. */
export function acceptDocument(f: Pick<Fixture, 'ds' | 'hooks'>, a: AcceptedMessage): Promise<void> {
  return transaction(f.ds, async (m) => {
    const bytes = Buffer.from(encodeJson(documentOf(a)), 'utf8');
    await m.insert(MessageEntity, {
      id: a.id, type: a.type, version: '1.0', fromCode: a.from, toCodes: [...a.to], ccCodes: [...a.cc], sentAt: a.sentAt, taskNumber: a.taskNumber,
      inReplyTo: a.inReplyTo, format: 'json', bytes, hash: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, acceptedAt: a.receivedAt,
    });
    await f.hooks.onMessageAccepted(m, a, a.receivedAt);
  });
}
