import { GatewayError } from '../../contracts/errors/gateway-error';

/** What `npm run bench` was asked to do. */
export interface BenchArgs {
  /** SQLite temp file + the embedded bus instead of MariaDB + RabbitMQ. */
  readonly embedded: boolean;
  /** Print ONE JSON object instead of the table. */
  readonly json: boolean;
  /** JSON documents submitted; the XML run submits half as many. */
  readonly messages: number;
  /** Submissions in flight at once. */
  readonly concurrency: number;
}

/** The defaults: 3,000 JSON (1,500 XML) with 64 in flight, on the services. */
export const BENCH_DEFAULTS: BenchArgs = { embedded: false, json: false, messages: 3000, concurrency: 64 };

function positive(option: string, value: string | undefined): number {
  if (value === undefined || !/^[1-9][0-9]*$/.test(value)) {
    throw new GatewayError('usage.invalid-argument', `${option} takes a positive whole number, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`, { path: option });
  }
  return Number(value);
}

/** Parses the bench's command line (`--embedded`, `--json`, `--messages N`, `--concurrency N`); an unknown option is refused. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let args: BenchArgs = BENCH_DEFAULTS;
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const value = (): string | undefined => (inline !== undefined ? inline : argv[++i]);
    if (flag === '--embedded' && inline === undefined) args = { ...args, embedded: true };
    else if (flag === '--json' && inline === undefined) args = { ...args, json: true };
    else if (flag === '--messages') args = { ...args, messages: positive(flag, value()) };
    else if (flag === '--concurrency') args = { ...args, concurrency: positive(flag, value()) };
    else throw new GatewayError('usage.invalid-argument', `unknown option ${JSON.stringify(argv[i])}: use --embedded, --json, --messages N, --concurrency N`, { path: argv[i] });
  }
  return args;
}
