/** The timed phases of the end-to-end bench, run in every gateway process at once. */
export type Phase = 'warm' | 'json' | 'xml';
export const PHASES: readonly Phase[] = ['warm', 'json', 'xml'];

/** The XML documents of a process's warm-up after its `warmJson` JSON ones: half as many, rounded down. */
export const warmupXmlOf = (warmJson: number): number => Math.floor(warmJson / 2);

/** What one gateway process of the bench is asked to do (its share of the run). */
export interface ChildSetup {
  readonly index: number;
  readonly databaseUrl: string;
  readonly amqpUrl?: string;
  /** Documents this process signs and submits to its own intake, per phase (`warm`: that many JSON, then half as many XML). */
  readonly counts: Readonly<Record<Phase, number>>;
  /** Its submissions in flight at once. */
  readonly concurrency: number;
  /** BENCH_CPU_PROFILE with `.<index>` appended: a V8 profile of the JSON and XML phases. */
  readonly profileFile?: string;
}

/** Parent → gateway process. */
export type ToChild =
  | { readonly type: 'setup'; readonly setup: ChildSetup }
  /** Submit this phase's documents now. */
  | { readonly type: 'go'; readonly phase: Phase }
  /** Every message of the phase is routed (somewhere): report the phase's CPU. */
  | { readonly type: 'end'; readonly phase: Phase }
  | { readonly type: 'stop' };

/** Gateway process → parent. Times are absolute ms (performance.timeOrigin + performance.now()). */
export type FromChild =
  /** The core runs and the documents are signed: their ids per phase. */
  | { readonly type: 'ready'; readonly ids: Readonly<Record<Phase, readonly string[]>> }
  /** Messages whose routing committed in this process (any process may have submitted them). */
  | { readonly type: 'routed'; readonly entries: readonly (readonly [string, number])[] }
  /** Every submission of the phase answered: when each was submitted, when the last was accepted. */
  | { readonly type: 'submitted'; readonly phase: Phase; readonly submits: readonly (readonly [string, number])[]; readonly acceptedAt: number }
  /** Process CPU (user + system, all threads) from `go` to `end`; with BENCH_SQL_COUNT, the JSON phase's statements by kind. */
  | { readonly type: 'ended'; readonly phase: Phase; readonly cpuMs: number; readonly sql?: readonly (readonly [string, number])[] }
  | { readonly type: 'stopped' }
  | { readonly type: 'error'; readonly message: string };
