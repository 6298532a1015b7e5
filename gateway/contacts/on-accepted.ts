import type { EntityManager } from 'typeorm';
import { applyContactUpdate, type AppliedContactChange } from './apply-update';
import type { ContactOptions } from './options';

/** The part of an accepted message (the obligations hooks' AcceptedMessage) a ContactUpdate needs. */
export interface AcceptedContactUpdate {
  readonly id: string;
  readonly type: string;
  readonly from: string;
  readonly body: unknown;
  /** The gateway's accept time: when the change counts as reported (Art. 17). */
  readonly receivedAt: Date;
}

/**
 * For the accept path (the obligations hook `onMessageAccepted`, inside intake's transaction):
 * applies an accepted signed ContactUpdate to the registry — changed by its sender, reported at
 * the gateway's accept time, once per message id. Any other form type is ignored (null).
 */
export async function applyAcceptedContactUpdate(manager: EntityManager, accepted: AcceptedContactUpdate, now: Date, options: ContactOptions = {}): Promise<AppliedContactChange | null> {
  if (accepted.type !== 'ContactUpdate') return null;
  return applyContactUpdate(manager, { institution: accepted.from, body: accepted.body, messageId: accepted.id, changedBy: { institution: accepted.from }, reportedAt: accepted.receivedAt }, now, options);
}
