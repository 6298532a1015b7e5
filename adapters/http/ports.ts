/**
 * What the HTTPS interface needs from the core, as small ports (style.md, domain-driven-hexagon:
 * one use case reached by every adapter). The composition root binds them to gateway/intake,
 * gateway/deliveries and the store; the adapter knows nothing else of the core.
 */
import type { ObligationsPort } from './obligation-ports';
import type { AlertsPort } from './routes/alerts';
import type { MonthlyPort } from './routes/monthly';

/** The media types a signed document travels as over HTTP. */
export const DOCUMENT_MEDIA_TYPES = ['application/xml', 'application/jose+json'] as const;
export type DocumentMediaType = (typeof DOCUMENT_MEDIA_TYPES)[number];

/** A signed document as bytes with its media type (a Receipt, a Rejection, a delivered message). */
export interface SignedBytes {
  readonly bytes: Buffer;
  readonly mediaType: string;
}

/** One broken rule, as the Rejection form lists it. */
export interface RuleError {
  /** A registered error code (contracts/errors), e.g. `contract.md5`. */
  readonly code: string;
  readonly path?: string;
  readonly message: string;
  /** The article, annex or standard, e.g. `Art. 9(1)`. */
  readonly source?: string;
}

/** A document received from an authenticated institution. */
export interface Submission {
  readonly bytes: Buffer;
  readonly mediaType: DocumentMediaType;
  /** The institution code of the client certificate: the signer must be this institution. */
  readonly caller: string;
}

/** What intake answers: the signed Receipt, or the signed Rejection with every error. */
export type SubmitOutcome =
  | { readonly accepted: true; readonly messageId: string; readonly receipt: SignedBytes; readonly duplicate: boolean }
  | { readonly accepted: false; readonly rejection: SignedBytes; readonly errors: readonly RuleError[]; readonly status?: number };

/** Accepts or rejects a submitted document (gateway/intake). */
export interface SubmitPort {
  submit(submission: Submission): Promise<SubmitOutcome>;
}

/** One delivery in a recipient's mailbox. */
export interface MailboxItem {
  readonly deliveryId: string;
  readonly messageId: string;
  /** The form, e.g. `IncidentReport`. */
  readonly type: string;
  readonly from: string;
  readonly status: string;
  /** When the delivery was made available to the recipient. */
  readonly createdAt: Date;
  /** The sender's signed document, unchanged. */
  readonly document: SignedBytes;
}

/** A page of a mailbox, oldest first; `next` is the cursor to pass as `after`, null at the end. */
export interface MailboxPage {
  readonly items: readonly MailboxItem[];
  readonly next: string | null;
}

/** The query of GET /v1/mailbox. */
export interface MailboxQuery {
  readonly recipient: string;
  /** The cursor of the last item seen; undefined for the start. */
  readonly after?: string;
  readonly limit: number;
  /** How long to wait for a first item when there is none, in seconds (long poll); 0 answers at once. */
  readonly waitSeconds: number;
  /** Aborted when the client goes away or the server drains: answer with what there is. */
  readonly signal: AbortSignal;
}

/** A recipient's signed Acknowledgement of a delivery. */
export interface Acknowledgement {
  readonly deliveryId: string;
  readonly caller: string;
  readonly bytes: Buffer;
  readonly mediaType: DocumentMediaType;
}

/** What acknowledging answers. */
export type AcknowledgeOutcome =
  | { readonly accepted: true; readonly deliveryId: string; readonly acknowledgedAt: Date; readonly duplicate: boolean; readonly receipt?: SignedBytes }
  | { readonly accepted: false; readonly errors: readonly RuleError[]; readonly rejection?: SignedBytes; readonly status?: number };

/** The status of one recipient of a message on one channel. */
export interface RecipientStatus {
  readonly recipient: string;
  readonly channel: string;
  readonly status: string;
  readonly deliveredAt?: Date | null;
  readonly acknowledgedAt?: Date | null;
}

/** What GET /v1/messages/{id} shows to the sender and the recipients. */
export interface MessageStatus {
  readonly messageId: string;
  readonly type: string;
  readonly from: string;
  readonly receivedAt: Date;
  readonly recipients: readonly RecipientStatus[];
}

/** The deliveries of the core (gateway/deliveries). */
export interface DeliveriesPort {
  listMailbox(query: MailboxQuery): Promise<MailboxPage>;
  acknowledge(ack: Acknowledgement): Promise<AcknowledgeOutcome>;
  /** The status of a message, or undefined when it does not exist or `caller` is neither its sender nor a recipient. */
  messageStatus(query: { readonly messageId: string; readonly caller: string }): Promise<MessageStatus | undefined>;
}

/** A sample file written to storage and checked against its hash. */
export interface StoredSample {
  readonly sha256: string;
  readonly md5: string;
  readonly size: number;
  /** Where the file now is. */
  readonly file: string;
  readonly caller: string;
  /** The same file had been stored before (by this or another upload). */
  readonly alreadyStored: boolean;
}

/** Decides about sample files (Art. 9(1)): who may upload one, and who may read it. */
export interface SamplesPort {
  /** Called once the file is complete and its SHA-256 verified; errors refuse it (e.g. no SampleReport of the caller declares its MD5), and a new file is removed. */
  stored(sample: StoredSample): Promise<{ readonly errors?: readonly RuleError[] }>;
  /** Whether `caller` may read the sample (e.g. it sent or received a SampleReport declaring its MD5). */
  mayRead(query: { readonly sha256: string; readonly md5: string; readonly caller: string }): Promise<boolean>;
}

/** A service the gateway needs; `check` rejects when it is not reachable. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

/** The figures /metrics reads at each scrape. */
export interface GaugesPort {
  /** Deliveries counted by status. */
  deliveriesByStatus(): Promise<Readonly<Record<string, number>>>;
  /** Messages waiting, by queue (the outbox, each bus queue). */
  queueDepths(): Promise<Readonly<Record<string, number>>>;
  /** Age in seconds of the oldest delivery not yet acknowledged, or null when there is none. */
  oldestUnacknowledgedSeconds(): Promise<number | null>;
}

/** Every port the HTTPS interface uses. */
export interface HttpPorts {
  readonly submit: SubmitPort;
  readonly deliveries: DeliveriesPort;
  readonly samples: SamplesPort;
  readonly readiness: readonly ReadinessCheck[];
  readonly gauges: GaugesPort;
  /** GET /v1/alerts (issue 6, item 4); mounted when given. */
  readonly alerts?: AlertsPort;
  /** The monthly summary draft and the .xlsx feedback conversion (issue 6, item 6); mounted when given. */
  readonly monthly?: MonthlyPort;
  /** Cases, obligations and Art. 19 compliance (issue 6); the routes are mounted when it is given. */
  readonly obligations?: ObligationsPort;
}
