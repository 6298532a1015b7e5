import type { DataSource } from 'typeorm';
import { appendAudit } from '../../../gateway/audit';
import { transaction } from '../../../gateway/store';

/** One console action in the hash-chained audit log (kind `console`). */
export interface ConsoleAuditEvent {
  /** The user (`name`, `cert:CODE`) or `anonymous`. */
  readonly actor: string;
  /** view, post, sign-in, sign-in-failed, locked-out, sign-out, refused, contact-edit … */
  readonly action: string;
  readonly subject: string;
  readonly details?: Record<string, unknown>;
}

/** Appends the event in its own transaction (gateway/audit appendAudit). */
export async function auditConsole(ds: DataSource, event: ConsoleAuditEvent, now: Date): Promise<void> {
  await transaction(ds, async (m) => {
    await appendAudit(m, { kind: 'console', actor: event.actor.slice(0, 64), subject: event.subject.slice(0, 191), details: { action: event.action, ...event.details } }, now);
  });
}
