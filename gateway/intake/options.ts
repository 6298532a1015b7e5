import type { Clock } from '../clock';
import type { GatewayIdentity } from '../identity/gateway-identity';
import type { CoreHooks } from '../obligations/hooks';
import type { Registry } from '../registry/registry';
import type { TrustStore } from '../signing/trust-store';

/** What intake needs: the trust anchors, the gateway's own credential, a clock, the registry, the obligations hooks. */
export interface IntakeOptions {
  /** Trust anchors and CRLs the senders' signatures are verified against (its caches are kept across messages). */
  readonly trust: TrustStore;
  /** The gateway's credential that signs Receipts and Rejections. */
  readonly identity: GatewayIdentity;
  readonly clock: Clock;
  /** The registry reader (cached); one is made on the data source when absent. */
  readonly registry?: Registry;
  /** The obligations hooks (seam 3), called in the accept transaction; no-ops when absent. */
  readonly hooks?: Partial<CoreHooks>;
  /**
   * The largest document accepted, in bytes.
   * @defaultValue 5 MiB (the contract's decode limit)
   */
  readonly maxBytes?: number;
  /**
   * The most accepts committed in one transaction (group commit of messages arriving while the
   * previous commit runs); 1 commits each message alone.
   * @defaultValue 200
   */
  readonly maxBatch?: number;
  /**
   * Accept transactions open at once on MySQL/MariaDB (each with its own batch), so that one
   * batch is written while the previous one waits for its durable commit; always 1 on SQLite.
   * 1 by default: the gateway is CPU-bound long before the commit is the limit, and one batch at a
   * time makes the batches (and so the statements per message) several times larger — `npm run
   * bench -- --messages 2000` on a quiet machine: 1 → 435–516 JSON / 398–469 XML msgs/s in three
   * runs, 4 → 457 / 400 in the run between them (2.1–2.4 vs 2.45 ms CPU per JSON message). More may
   * pay where the commit is slow (a remote or busy database).
   * @defaultValue 1
   */
  readonly maxParallel?: number;
}

/** A document handed to intake by an adapter (HTTPS, e-mail, CLI). */
export interface IntakeSubmission {
  /** The signed document exactly as received. */
  readonly bytes: Buffer;
  /** The authenticated caller (mutual TLS institution code); the signer must be it. Undefined when the channel does not authenticate (e-mail). */
  readonly caller?: string;
}

/** One reason of a refusal, as the Rejection form lists it. */
export interface RuleError {
  /** A registered error code, e.g. `contract.md5`, `signature.tampered`, `routing.missing-recipient`. */
  readonly code: string;
  readonly path?: string;
  readonly message: string;
  /** The article, annex or standard, e.g. `Art. 9(1)`. */
  readonly source?: string;
}

/** A signed document as bytes with its media type. */
export interface SignedBytes {
  readonly bytes: Buffer;
  /** `application/xml` or `application/jose+json`. */
  readonly mediaType: string;
}

/** What intake answers: the signed Receipt, or the signed Rejection with every reason and the HTTP status of the outcome table. */
export type IntakeOutcome =
  | { readonly accepted: true; readonly messageId: string; readonly receipt: SignedBytes; readonly duplicate: boolean }
  | { readonly accepted: false; readonly rejection: SignedBytes; readonly errors: readonly RuleError[]; readonly status: number; readonly messageId?: string };
