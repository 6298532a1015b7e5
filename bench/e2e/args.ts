import { GatewayError } from '../../contracts/errors/gateway-error';

/** What `npm run bench` was asked to do. */
export interface BenchArgs {
  /** SQLite temp file + the embedded bus instead of MariaDB + RabbitMQ. */
  readonly embedded: boolean;
  /** Print ONE JSON object instead of the table. */
  readonly json: boolean;
  /** JSON documents submitted; the XML run submits half as many. */
  readonly messages: number;
  /** Submissions in flight at once, in all gateway processes together (split evenly among them). */
  readonly concurrency: number;
  /** Gateway processes (each a whole core: store, bus, relay, workers, intake) sharing the database and the vhost. */
  readonly processes: number;
  /**
   * JSON documents submitted before the timed phases, untimed, and half as many XML after them
   * (split among the processes like the rest): the JIT, the prepared statements of each batch size
   * and the pools warmed, so the phases measure the steady state.
   */
  readonly warmup: number;
}

/** The defaults: 3,000 JSON (1,500 XML) with 64 in flight after a warm-up of 5,000 JSON + 2,500 XML, on the services, one gateway process. */
export const BENCH_DEFAULTS: BenchArgs = { embedded: false, json: false, messages: 3000, concurrency: 64, processes: 1, warmup: 5000 };

function positive(option: string, value: string | undefined): number {
  if (value === undefined || !/^[1-9][0-9]*$/.test(value)) {
    throw new GatewayError('usage.invalid-argument', `${option} takes a positive whole number, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`, { path: option });
  }
  return Number(value);
}

function wholeNumber(option: string, value: string | undefined): number {
  if (value === undefined || !/^(0|[1-9][0-9]*)$/.test(value)) {
    throw new GatewayError('usage.invalid-argument', `${option} takes a whole number (0 or more), got ${value === undefined ? 'nothing' : JSON.stringify(value)}`, { path: option });
  }
  return Number(value);
}

/**
 * Parses the bench's command line (`--embedded`, `--json`, `--messages N`, `--concurrency N`,
 * `--processes N`, `--warmup N`); an unknown option is refused. `--processes` defaults to 1 (on a 2-core
 * machine two gateway processes are slower than one — each batches only its own accepts and all
 * take turns at the audit head; README, Benchmarks); more than 1 is refused with
 * `--embedded` (SQLite has one writer), and it may not exceed `--concurrency` (every process
 * keeps at least one submission in flight).
 */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let args: Omit<BenchArgs, 'processes'> = BENCH_DEFAULTS;
  let processes: number | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const value = (): string | undefined => (inline !== undefined ? inline : argv[++i]);
    if (flag === '--embedded' && inline === undefined) args = { ...args, embedded: true };
    else if (flag === '--json' && inline === undefined) args = { ...args, json: true };
    else if (flag === '--messages') args = { ...args, messages: positive(flag, value()) };
    else if (flag === '--concurrency') args = { ...args, concurrency: positive(flag, value()) };
    else if (flag === '--processes') processes = positive(flag, value());
    else if (flag === '--warmup') args = { ...args, warmup: wholeNumber(flag, value()) };
    else throw new GatewayError('usage.invalid-argument', `unknown option ${JSON.stringify(argv[i])}: use --embedded, --json, --messages N, --concurrency N, --processes N, --warmup N`, { path: argv[i] });
  }
  if (args.embedded && processes !== undefined && processes > 1) {
    throw new GatewayError('usage.invalid-argument', `--embedded runs one gateway process (SQLite has one writer and the embedded bus lives in its database): --processes must be 1, got ${processes}`, { path: '--processes' });
  }
  const n = processes ?? 1;
  if (n > args.concurrency) {
    throw new GatewayError('usage.invalid-argument', `--concurrency ${args.concurrency} is split among ${n} gateway processes: it must be at least --processes (${n})`, { path: '--concurrency' });
  }
  return { ...args, processes: n };
}
