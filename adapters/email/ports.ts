import type { MailClass } from './classify-mail';

/** A signed gateway document (Receipt or Rejection) as bytes with its media type, attached to the reply. */
export interface SignedDocument {
  readonly bytes: Buffer;
  readonly mediaType: string;
}

/** What intake answered for one signed form (the same answer as over the API). */
export type IntakeOutcome =
  | {
    readonly outcome: 'accepted'; readonly messageId: string; readonly formType?: string; readonly document?: SignedDocument; readonly institution?: string;
    /** An EmergencyNotice recorded from an unsigned mail (Art. 15): the written form it stands for and when that signed form is due. */
    readonly standsFor?: string; readonly followupDue?: Date;
  }
  | { readonly outcome: 'rejected'; readonly code: string; readonly reason: string; readonly formType?: string; readonly document?: SignedDocument };

/**
 * The intake use case as the e-mail channel needs it (a port; gateway/intake implements it).
 * It must be idempotent: the same form submitted twice (a mail fetched again after a crash, or a
 * form sent both by API and by e-mail) is accepted once and answered the same way. Throwing means
 * "not now" (a service failed): the mail stays unprocessed and is retried.
 */
export interface IntakePort {
  submitForm(bytes: Buffer): Promise<IntakeOutcome>;
}

/** What is known of an unsigned mail besides its classification. */
export interface UnsignedMailContext {
  /** The Message-ID header: with the institution, what makes the notice itself (a mail fetched again is recorded once). */
  readonly messageId?: string;
  readonly subject?: string;
  /** When the mail reached the gateway's mailbox (IMAP INTERNALDATE): the clock it answers is met then. */
  readonly receivedAt?: Date;
  /** SHA-256 of the raw mail, the key when there is no Message-ID. */
  readonly sha256: string;
}

/**
 * Records an unsigned mail from a registered contact as an EmergencyNotice (Art. 15), or refuses
 * it (e.g. an unsigned .xlsx, which Art. 15 does not cover) (a port; unsignedMailPortFor implements it).
 */
export interface UnsignedMailPort {
  recordUnsigned(mail: Extract<MailClass, { kind: 'unsigned-from-contact' }>, context?: UnsignedMailContext): Promise<IntakeOutcome>;
}

/** The folders a handled mail is moved to. */
export type MailFolder = 'processed' | 'rejected' | 'quarantine';

/** Where the intake loop stands in one mailbox: the last UID handled, under one UIDVALIDITY. */
export interface UidCursor {
  readonly uidValidity: string;
  readonly lastUid: number;
  /** A handled mail whose move had not been confirmed yet (finished after a crash). */
  readonly pendingMove?: { readonly uid: number; readonly folder: MailFolder };
}

/** Keeps the cursor across restarts (a port; the store implements it durably). */
export interface UidCursorStore {
  load(mailbox: string): Promise<UidCursor | undefined>;
  save(mailbox: string, cursor: UidCursor): Promise<void>;
}

/** A cursor store in memory: for tests and a single process. */
export function memoryCursorStore(): UidCursorStore & { readonly cursors: Map<string, UidCursor> } {
  const cursors = new Map<string, UidCursor>();
  return {
    cursors,
    load: async (mailbox) => cursors.get(mailbox),
    save: async (mailbox, cursor) => { cursors.set(mailbox, cursor); },
  };
}
