/** Intake: one use case for every adapter — a signed Receipt or a signed Rejection. */
export { Intake } from './intake';
export { mediaTypeOf, signedReceipt, signedRejection, type ReceiptFacts, type RejectionFacts } from './gateway-documents';
export type { IntakeOptions, IntakeOutcome, IntakeSubmission, RuleError, SignedBytes } from './options';
