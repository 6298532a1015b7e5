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

/** What `npm run bench -- --help` prints. */
export const BENCH_USAGE = `usage: npm run bench -- [options]

End to end: pre-signed IncidentReports (3 recipients each) submitted through the gateway's intake
until each is in every recipient's mailbox, beside the raw MariaDB transaction rate and the raw
AMQP rate measured in the same run. Needs MariaDB (root@127.0.0.1:3306) and RabbitMQ
(guest@127.0.0.1:5672, rabbitmqctl) unless --embedded; MMGW_BENCH_MARIADB_URL / MMGW_BENCH_AMQP_URL
override them. It makes a fresh database and vhost and removes them after.

  --embedded         a SQLite temp file and the embedded bus instead of the services
  --json             print one JSON object instead of the table
  --messages N       N JSON and N/2 XML documents timed (default ${BENCH_DEFAULTS.messages})
  --concurrency N    submissions in flight, all gateway processes together (default ${BENCH_DEFAULTS.concurrency})
  --processes N      gateway processes sharing the database and vhost (default 1; 1 with --embedded)
  --warmup N         N JSON then N/2 XML submitted first, untimed (default ${BENCH_DEFAULTS.warmup}; 0: none)
  --email            the e-mail channel's bench instead (Dovecot + Postfix, root; --messages, --json)
  --help, -h         this text

Environment: BENCH_SQL_COUNT=1 prints SQL statements per JSON message on stderr;
BENCH_CPU_PROFILE=file writes V8 profiles file.0, file.1, … (one per gateway process).
Exit status: 0 whatever the targets (a measurement), 1 when it fails, 2 on a usage error,
3 (--email) without the mail servers or root, 130 when interrupted. README.md, "Benchmarks", says what each figure means.`;

/** Whether the command line asks for the usage text (`--help` or `-h` anywhere). */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--help' || a === '-h');
}

/** `value` as a whole number from `min` (1: "positive", 0: "0 or more"), else a usage error naming `option`. */
function wholeNumber(option: string, value: string | undefined, min: 0 | 1 = 1): number {
  if (value === undefined || !/^(0|[1-9][0-9]*)$/.test(value) || Number(value) < min) {
    const wanted = min === 1 ? 'a positive whole number' : 'a whole number (0 or more)';
    throw new GatewayError('usage.invalid-argument', `${option} takes ${wanted}, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`, { path: option });
  }
  return Number(value);
}

/**
 * Parses the bench's command line (`--embedded`, `--json`, `--messages N`, `--concurrency N`,
 * `--processes N`, `--warmup N`); an unknown option is refused. `--processes` defaults to 1 (on a
 * 2-core machine two gateway processes are slower than one — each batches only its own accepts
 * and all take turns at the audit head; README, Benchmarks); more than 1 is refused with
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
    else if (flag === '--messages') args = { ...args, messages: wholeNumber(flag, value()) };
    else if (flag === '--concurrency') args = { ...args, concurrency: wholeNumber(flag, value()) };
    else if (flag === '--processes') processes = wholeNumber(flag, value());
    else if (flag === '--warmup') args = { ...args, warmup: wholeNumber(flag, value(), 0) };
    else throw new GatewayError('usage.invalid-argument', `unknown option ${JSON.stringify(argv[i])}: use --embedded, --json, --messages N, --concurrency N, --processes N, --warmup N (--help says more)`, { path: argv[i] });
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
